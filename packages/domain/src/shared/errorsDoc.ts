import { REJECTIONS } from './rejections.ts';

/** The text of docs/errors.md, generated from the registry so the two never drift. */
export const renderErrorsDoc = (): string => {
  const rows = Object.entries(REJECTIONS)
    .map(([code, meaning]) => `| \`${code}\` | ${meaning} |`)
    .join('\n');
  return `# Rejection codes

A command the rules refuse comes back as a rejection with a stable \`code\`; the HTTP API returns
it as \`application/problem+json\` with status 422 and the code in \`code\` (see docs/api.md).
Codes never change meaning; new ones are added here. This file is generated from
\`packages/domain/src/shared/rejections.ts\` by \`pnpm run docs\`.

| code | meaning |
| --- | --- |
${rows}
`;
};
