import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

/**
 * lmdb-js's writes that settle after the call: each returns a promise that rejects when its
 * transaction's commit fails, and the error carries a second promise of the cause
 * (`commitError`) that rejects too. Whoever calls them must handle both, or a full disk ends the
 * process (an unhandled rejection) and acknowledges what was not written.
 */
const ASYNC_WRITES = new Set([
  'put',
  'remove',
  'transaction',
  'transactionAsync',
  'childTransaction',
  'ifVersion',
  'ifNoExists',
  'batch',
  'clearAsync',
  'drop',
  'committed',
  'flushed',
]);

/**
 * The modules allowed to call them: each reports a failed commit as `StoreUnavailableError` with
 * the cause handled (`commitCause`), and is tested on a full disk.
 */
const WRAPPERS = new Set([
  'packages/eventstore/src/lmdb/appender.ts',
  'packages/eventstore/src/lmdb/lmdbEventStore.ts',
  'packages/projections/src/runtime/readModelStore.ts',
]);

/** Benchmarks time raw lmdb-js on purpose (their baselines), on a disk with room. */
const isExempt = (file: string) =>
  file.includes('.test.') || file.includes(`${sep}bench${sep}`) || file.includes(`${sep}testing${sep}`);

const lmdbMember = (checker: ts.TypeChecker, node: ts.PropertyAccessExpression): boolean => {
  if (!ASYNC_WRITES.has(node.name.text)) return false;
  const symbol = checker.getSymbolAtLocation(node.name);
  return (symbol?.declarations ?? []).some((declaration) =>
    declaration.getSourceFile().fileName.includes('/node_modules/lmdb/'),
  );
};

describe('lmdb-js writes that settle later (a full disk)', () => {
  it('are made only through the stores that handle a failed commit and its cause', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    if (config === undefined) throw new Error('tsconfig.json not read');
    const program = ts.createProgram(config.fileNames, config.options);
    const checker = program.getTypeChecker();
    const found: string[] = [];
    const scanned = new Set<string>();
    for (const source of program.getSourceFiles()) {
      const file = relative(ROOT, source.fileName);
      if (!file.startsWith('packages') || file.includes('node_modules') || isExempt(file)) continue;
      scanned.add(file);
      const visit = (node: ts.Node): void => {
        if (ts.isPropertyAccessExpression(node) && lmdbMember(checker, node)) {
          const { line } = source.getLineAndCharacterOfPosition(node.name.getStart());
          found.push(`${file}:${line + 1} .${node.name.text}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    // The scan sees the code (and would see a raw write): the wrappers are among the files read,
    // and each makes such writes itself.
    for (const wrapper of WRAPPERS) expect(scanned, wrapper).toContain(wrapper);
    const byFile = (file: string) => found.filter((f) => f.startsWith(`${file}:`));
    for (const wrapper of WRAPPERS) expect(byFile(wrapper).length, wrapper).toBeGreaterThan(0);
    expect(found.filter((f) => !WRAPPERS.has(f.slice(0, f.indexOf(':'))))).toEqual([]);
  }, 120_000);
});
