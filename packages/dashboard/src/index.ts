import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @cogov/dashboard: where the built page lives. The page itself (web/) is TypeScript for the
 * browser, bundled by esbuild into dist/web when the workspace builds (scripts/build.mjs).
 */
export const DASHBOARD_ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');

/** Whether the page has been built (an installed workspace has; a bare checkout before install has not). */
export const dashboardBuilt = (): boolean => existsSync(join(DASHBOARD_ASSETS, 'index.html'));
