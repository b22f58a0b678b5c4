import { openRuntime } from '@cogov/api';
import { configFrom } from '../options.ts';
import { progressOn } from '../progress.ts';

export const PROJECTIONS = ['statistics', 'membership', 'lookups'] as const;

/** `cogov rebuild`: a read model rebuilt beside the running one, compared with it, switched in. */
export const rebuild = async (projection: string, flags: { dataDir?: string }): Promise<void> => {
  const runtime = await openRuntime(configFrom(flags));
  try {
    const total = ((await runtime.store.lastPosition()) ?? -1) + 1;
    const progress = progressOn();
    progress.start(total, `rebuilding ${projection}`);
    const timer = setInterval(() => {
      const building = runtime.readModels.projector
        .status()
        .find((s) => s.projection === projection && s.role === 'building');
      if (building !== undefined) progress.update(building.position + 1);
    }, 250);
    const report = await runtime.readModels.projector
      .rebuild(projection)
      .catch((error: unknown) => {
        progress.stop('failed');
        throw error;
      })
      .finally(() => clearInterval(timer));
    progress.stop(`${report.differences} differences from the version it replaces`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await runtime.close();
  }
};
