import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openRuntime } from '../runtime.ts';
import type { OpenApiDocument } from './apiDoc.ts';

/** The OpenAPI document of the API, from a server built on an empty scratch store. */
export const openApiDocument = async (): Promise<OpenApiDocument> => {
  const dir = mkdtempSync(join(tmpdir(), 'cogov-openapi-'));
  const runtime = await openRuntime(loadConfig({}, { dataDir: dir, logLevel: 'silent' }));
  try {
    const app = await buildApp({ runtime });
    await app.ready();
    const document = app.swagger() as unknown as OpenApiDocument;
    await app.close();
    return document;
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
