import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import type { Prechecks } from './prechecks.ts';
import { openRuntime, type Runtime } from './runtime.ts';

/** A running cogov: its runtime, its HTTP app, and where it listens. */
export interface Server {
  readonly runtime: Runtime;
  readonly app: FastifyInstance;
  /** `http://host:port` once listening; null when not asked to listen (tests inject requests). */
  readonly url: string | null;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly config: Config;
  /** Fastify's logger (pino) options; false for none. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Listen on `config.host`:`config.port` (default true). */
  readonly listen?: boolean;
  /** The data directory's checks, if started already (see `startPrechecks`). */
  readonly prechecks?: Prechecks;
}

/**
 * Opens the store and read models the configuration names, builds the API over them and listens.
 *
 * @example
 * const server = await startServer({ config: loadConfig() });
 * console.log(`listening on ${server.url}`);
 */
export const startServer = async (options: StartOptions): Promise<Server> => {
  const runtime = await openRuntime(options.config, {
    ...(options.prechecks === undefined ? {} : { prechecks: options.prechecks }),
    // Verifying the whole log (a worker thread, about a second per 300 000 events) starts once the
    // server listens: on two cores it would take the start's CPU. /readyz says `verifying` until then.
    startIntegrity: false,
  });
  try {
    const app = await buildApp({
      runtime,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    const url =
      options.listen === false
        ? null
        : await app.listen({ port: options.config.port, host: options.config.host });
    await app.ready();
    runtime.integrity?.start();
    return {
      runtime,
      app,
      url,
      close: async () => {
        await app.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
};
