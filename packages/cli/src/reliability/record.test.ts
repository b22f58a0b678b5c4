import { describe, expect, it } from 'vitest';
import { mergeVerdicts, renderReliability, type RecordedVerdict } from './run.ts';

const verdict = (
  id: string,
  figures: string,
  at: string,
  outcome: RecordedVerdict['outcome'] = 'passed',
): RecordedVerdict => ({
  id,
  name: `check ${id}`,
  outcome,
  figures,
  seconds: 60,
  at,
  command: 'pnpm test:reliability',
  machine: '2 × AMD EPYC, 24 GiB, Node v20.20.2',
});

describe('the reliability report', () => {
  const kept = [
    verdict('R1', '100 kills', '2026-12-01T00:00:00Z'),
    verdict('R6', '10 min', '2026-12-01T00:00:00Z'),
    verdict('R7a', 'full disk', '2026-12-01T00:00:00Z'),
    verdict('R7b', 'read-only', '2026-12-01T00:00:00Z'),
    verdict('R8', '1,050 corruptions', '2026-12-01T00:00:00Z'),
  ];

  it('keeps every check a run did not make, and replaces those it did', () => {
    const merged = mergeVerdicts(kept, [
      {
        ...verdict('R6', '60 min', '2026-12-02T12:00:00Z'),
        command: 'pnpm test:reliability --minutes 60 --only R6',
      },
    ]);
    expect(merged.map((v) => [v.id, v.figures])).toEqual([
      ['R1', '100 kills'],
      ['R6', '60 min'],
      ['R7a', 'full disk'],
      ['R7b', 'read-only'],
      ['R8', '1,050 corruptions'],
    ]);
    const text = renderReliability(merged);
    expect(text).toContain('**5 passed, 0 failed**');
    expect(text).toContain(
      '| R6 | check R6 | passed | 60 min | 2026-12-02, `pnpm test:reliability --minutes 60 --only R6` |',
    );
    expect(text).toContain('| R1 | check R1 | passed | 100 kills | 2026-12-01, `pnpm test:reliability` |');
  });

  it('replaces all of a check’s parts at once: a run of R7 leaves no part of an older R7 behind', () => {
    const merged = mergeVerdicts(kept, [verdict('R7a', 'full disk again', '2026-12-02T00:00:00Z', 'failed')]);
    expect(merged.map((v) => v.id)).toEqual(['R1', 'R6', 'R7a', 'R8']);
    const text = renderReliability(merged);
    expect(text).toContain('**3 passed, 1 failed**');
    expect(text).toContain('| R7a | check R7a | **failed** |');
  });
});
