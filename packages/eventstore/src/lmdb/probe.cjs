// Opens an existing log in a throwaway process and reads its format and last record. lmdb-js
// crashes the process (SIGSEGV) on some corrupt files; this turns that into an exit status the
// store reports as "corrupt" instead of taking the server down.
'use strict';
const { open } = require('lmdb');
const root = open({ path: process.argv[2], maxDbs: 8, readOnly: true });
const format = root.openDB({ name: 'meta' }).get('format');
const log =
  format === 1 ? root.openDB({ name: 'log' }) : root.openDB({ name: 'records', encoding: 'binary' });
for (const entry of log.getRange({ reverse: true, limit: 1 })) void entry.value;
root.close();
process.exit(0);
