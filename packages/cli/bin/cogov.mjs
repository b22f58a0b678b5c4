#!/usr/bin/env node
// The cogov command line (compiled; `pnpm build` makes dist/ in a checkout).
await import('../dist/main.js');
