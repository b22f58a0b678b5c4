import { readFileSync } from 'node:fs';
import { startWorldServer } from '../world.ts';

/**
 * The server of the soak (R6), in a process of its own so that its memory is measured apart from
 * the load: the huitong test world on loopback. Says its address over IPC, reports its memory
 * after a full garbage collection when asked (so that a leak shows, not the collector's sawtooth)
 * and closes cleanly when told.
 */
const server = await startWorldServer({ listen: true });
process.send?.({ url: server.url, dir: server.dir, pid: process.pid });
const anonymousMiB = () =>
  Number(/RssAnon:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN) / 1024;
process.on('message', (message) => {
  if (message === 'memory') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({
      memory: {
        heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
        externalMiB: process.memoryUsage().external / 2 ** 20,
        anonymousMiB: anonymousMiB(),
      },
    });
  }
  if (message === 'close')
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`closing failed: ${String(error)}`);
        process.exit(1);
      },
    );
});
