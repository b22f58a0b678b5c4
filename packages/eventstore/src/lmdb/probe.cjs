// Opens an existing log in a throwaway process and reads its meta and last event. lmdb-js
// crashes the process (SIGSEGV) on some corrupt files; this turns that into an exit status the
// store reports as "corrupt" instead of taking the server down.
'use strict';
const { open } = require('lmdb');
const root = open({ path: process.argv[2], maxDbs: 8, readOnly: true });
root.openDB({ name: 'meta' }).get('format');
for (const entry of root.openDB({ name: 'log' }).getRange({ reverse: true, limit: 1 })) void entry.value;
root.close();
process.exit(0);
