#!/usr/bin/env node
// The cogov command line. In this workspace the sources are TypeScript, run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
