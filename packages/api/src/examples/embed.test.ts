import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { embed } from './embed.ts';

it('runs the README’s embedding example: a refusal by the rules, a meeting counted, a roster', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cogov-embed-'));
  try {
    const { refused, meetings, roster } = await embed(dir);
    expect(refused).toBe('ATTENDEE_NOT_SITTING');
    expect(meetings).toBe(1);
    expect(roster.members.map((m) => m.personId)).toContain('li-wei');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
