import { startTestServer } from '../testing/server.ts';

/**
 * The server of the soak (R6) and the fault checks, in a process of its own so that its memory is
 * measured apart from the load: the huitong test world on loopback. Says its address over IPC and
 * closes cleanly when told.
 */
const server = await startTestServer({ listen: true });
process.send?.({ url: server.url, dir: server.dir, pid: process.pid });
process.on('message', (message) => {
  if (message !== 'close') return;
  void server.close().then(() => process.exit(0));
});
