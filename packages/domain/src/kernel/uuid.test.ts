import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newEventId } from './uuid.ts';

describe('newEventId (UUIDv7)', () => {
  it('is a version-7, RFC 9562 variant UUID', () => {
    expect(newEventId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts in the order ids were minted, even within one millisecond, and never repeats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5000 }), (n) => {
        const ids = Array.from({ length: n }, () => newEventId());
        expect([...ids].sort()).toEqual(ids);
        expect(new Set(ids).size).toBe(n);
      }),
      { numRuns: 50 },
    );
  });

  it('carries the time it was minted', () => {
    const before = Date.now();
    const id = newEventId();
    const ms = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 5);
  });
});
