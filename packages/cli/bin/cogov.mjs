#!/usr/bin/env node
// The cogov command line (compiled; `pnpm build` makes dist/ in a checkout). In a checkout the
// build also bundles it (dist/bundle, see scripts/build.mjs), which starts in a fraction of the
// time; an installed package has dist/ alone.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
await import(existsSync(bundle) ? bundle.href : '../dist/main.js');
