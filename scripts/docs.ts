// Regenerates the documents that are derived from code: docs/errors.md.
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc } from '../packages/domain/src/shared/errorsDoc.ts';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
console.log('wrote docs/errors.md');
