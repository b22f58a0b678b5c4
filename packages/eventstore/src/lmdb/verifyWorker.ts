// A worker thread that verifies a log read-only, so that a server's start-up verification of its
// whole log runs on another core instead of between its requests (IntegrityMonitor).
import { parentPort, workerData } from 'node:worker_threads';
import { LmdbLogReader } from './logReader.ts';

const { path, to } = workerData as { readonly path: string; readonly to: number };
const reader = LmdbLogReader.open(path);
try {
  parentPort?.postMessage({ report: reader.verify({ to, scanIndex: false }) });
} catch (error) {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
} finally {
  await reader.close();
}
