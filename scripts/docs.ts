// Regenerates the documents that are derived from code: docs/errors.md and docs/api.md.
import { writeFileSync } from 'node:fs';
import { renderApiDoc } from '../packages/api/src/docs/apiDoc.ts';
import { openApiDocument } from '../packages/api/src/docs/openapi.ts';
import { renderErrorsDoc } from '../packages/api/src/problems/doc.ts';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
console.log('wrote docs/errors.md');
writeFileSync(new URL('../docs/api.md', import.meta.url), renderApiDoc(await openApiDocument()));
console.log('wrote docs/api.md');
