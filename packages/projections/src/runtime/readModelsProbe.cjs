// Opens the read models' environment in a throwaway process and reads every database's first
// and last entries (which walks each B-tree from its root). lmdb-js crashes the process
// (SIGSEGV) on some damaged files: this turns that into an exit status the server reports as
// damaged read models, which it then rebuilds from the log, instead of dying without a word.
'use strict';
const { open } = require('lmdb');
const root = open({ path: process.argv[2], maxDbs: 256, readOnly: true });
// The names first: opening a database while the root's keys are being iterated crashes lmdb-js.
const names = [...root.getKeys({})];
for (const name of names) {
  if (typeof name !== 'string') throw new Error(`unexpected database name ${String(name)}`);
  const db = root.openDB({ name });
  for (const entry of db.getRange({ limit: 1 })) void entry.value;
  for (const entry of db.getRange({ reverse: true, limit: 1 })) void entry.value;
}
root.close();
process.exit(0);
