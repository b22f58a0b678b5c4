#!/usr/bin/env node
// The cogov command line (compiled; `pnpm build` makes dist/ in a checkout). In a checkout the
// build also bundles it into one CommonJS file (dist/bundle/main.cjs, see scripts/build.mjs), run
// with V8's code cache kept beside it (dist/launch.js, ADR 18), which starts in a fraction of the
// time; an installed package has dist/ alone.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/bundle/main.cjs', import.meta.url));
if (existsSync(bundle)) (await import('../dist/launch.js')).runBundle(bundle);
else await import('../dist/main.js');
