// Opens a store and keeps it open until killed: the "other process" of the lock test.
import { LmdbEventStore } from '../lmdb/lmdbEventStore.ts';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: holdStore.ts PATH');
await LmdbEventStore.open({ path });
process.send?.('ready');
setInterval(() => undefined, 60_000);
