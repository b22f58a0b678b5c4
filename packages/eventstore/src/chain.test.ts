import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS, type ChainEnvelope } from './chain.ts';

/**
 * The chain hash as its documentation defines it, part by part: every log ever written is
 * checked against this definition, so an implementation that computes anything else (a faster
 * one included) would turn every stored log into a "broken chain".
 */
const byDefinition = (previous: Uint8Array, envelope: ChainEnvelope, content: Uint8Array): Buffer => {
  const numbers = Buffer.alloc(24);
  numbers.writeBigUInt64BE(BigInt(envelope.position), 0);
  numbers.writeBigUInt64BE(BigInt(envelope.revision), 8);
  numbers.writeBigUInt64BE(BigInt(envelope.recordedAt), 16);
  return createHash('sha256')
    .update(previous)
    .update(numbers)
    .update(envelope.streamId, 'utf8')
    .update(Buffer.alloc(1))
    .update(content)
    .digest();
};

describe('chainHash', () => {
  it('gives the hashes logs were written with (vectors from the first implementation)', () => {
    const first = chainHash(
      GENESIS,
      { position: 0, streamId: 'region-ht', revision: 0, recordedAt: 1_600_000_000_000 },
      Buffer.from('content'),
    );
    expect(first.toString('hex')).toBe('8b65d54416537e90a038548fde5d878163300beef5d50911df6ce14960e1a915');
    const second = chainHash(
      first,
      { position: 2 ** 53 - 1, streamId: '会同县-委员会', revision: 2 ** 32, recordedAt: 1_764_720_000_123 },
      Buffer.alloc(70_000, 0xab),
    );
    expect(second.toString('hex')).toBe('6dade6e9d2fc0a83f42fc045c8986f4ff35f33d454e4c21ed8d6e788637ea5b4');
  });

  it('is the hash of its definition for any envelope and content, large contents included', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.record({
          position: fc.maxSafeNat(),
          streamId: fc.string({ unit: 'binary', maxLength: 40 }),
          revision: fc.maxSafeNat(),
          recordedAt: fc.maxSafeNat(),
        }),
        fc.oneof(
          fc.uint8Array({ maxLength: 2_000 }),
          // Larger than the reused buffer starts, and than it may grow to.
          fc.constantFrom(20_000, 1_500_000).map((n) => Buffer.alloc(n, n % 251)),
        ),
        (previous, envelope, content) => {
          expect(
            chainHash(previous, envelope, content).equals(byDefinition(previous, envelope, content)),
          ).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses what the definition cannot encode rather than hashing something else', () => {
    const envelope = { position: 1, streamId: 's', revision: 0, recordedAt: 0 };
    expect(() => chainHash(GENESIS, { ...envelope, position: -1 }, Buffer.alloc(0))).toThrow(/position/);
    expect(() => chainHash(GENESIS, { ...envelope, revision: 1.5 }, Buffer.alloc(0))).toThrow(/revision/);
    expect(() => chainHash(GENESIS, { ...envelope, recordedAt: 2 ** 53 }, Buffer.alloc(0))).toThrow(
      /recordedAt/,
    );
    expect(() => chainHash(Buffer.alloc(31), envelope, Buffer.alloc(0))).toThrow(/31 bytes/);
  });
});
