import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { renderErrorsDoc } from '../problems/doc.ts';
import { renderApiDoc } from './apiDoc.ts';
import { openApiDocument } from './openapi.ts';

it('docs/api.md is the one rendered from the OpenAPI document (run `pnpm run docs` after changing a route)', async () => {
  const document = await openApiDocument();
  const committed = readFileSync(join(import.meta.dirname, '../../../../docs/api.md'), 'utf8');
  expect(committed).toBe(renderApiDoc(document));
  // Every route is in it.
  for (const path of Object.keys(document.paths)) expect(committed).toContain(` ${path}\``);
});

it('docs/errors.md is the one rendered from the problem and rejection registries', () => {
  expect(readFileSync(join(import.meta.dirname, '../../../../docs/errors.md'), 'utf8')).toBe(
    renderErrorsDoc(),
  );
});
