import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, RecordDamage, type LogRecord } from './record.ts';

/** A record as its documentation defines it: plain MessagePack of the four fields, then CRC-32. */
const byDefinition = (record: LogRecord): Buffer => {
  const body = new Packr({ useRecords: false, mapsAsObjects: true }).pack([
    record.streamId,
    record.revision,
    record.recordedAt,
    record.events.map((e) => [e.content, e.hash]),
  ]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body));
  return Buffer.concat([body, checksum]);
};

/** Byte strings around MessagePack's length boundaries (bin 8, 16 and 32). */
const content = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.constantFrom(255, 256, 65_535, 65_536, 70_000).map((n) => Buffer.alloc(n, n % 251)),
);
const manyEvents = (n: number) =>
  Array.from({ length: n }, (_, k) => ({ content: Buffer.of(k % 256), hash: Buffer.alloc(32, k % 256) }));
const record: fc.Arbitrary<LogRecord> = fc.record({
  streamId: fc.string({ unit: 'binary', maxLength: 60 }),
  revision: fc.maxSafeNat(),
  recordedAt: fc.oneof(fc.maxSafeNat(), fc.integer({ min: 1_500_000_000_000, max: 2_500_000_000_000 })),
  events: fc.oneof(
    fc.array(fc.record({ content, hash: fc.uint8Array({ minLength: 32, maxLength: 32 }) }), {
      minLength: 1,
      maxLength: 20,
    }),
    // Past fixarray (15): the events' header as an array 16.
    fc.constant(manyEvents(16)),
  ),
});

describe('log records', () => {
  it('are the bytes of their definition, and decode to what was encoded', () => {
    fc.assert(
      fc.property(record, (r) => {
        const bytes = encodeRecord(r);
        expect(bytes.equals(byDefinition(r))).toBe(true);
        const decoded = decodeRecord(bytes);
        expect(decoded.streamId).toBe(r.streamId);
        expect(decoded.revision).toBe(r.revision);
        expect(decoded.recordedAt).toBe(r.recordedAt);
        expect(decoded.events.map((e) => Buffer.from(e.content).toString('hex'))).toEqual(
          r.events.map((e) => Buffer.from(e.content).toString('hex')),
        );
        expect(decoded.events.map((e) => Buffer.from(e.hash).toString('hex'))).toEqual(
          r.events.map((e) => Buffer.from(e.hash).toString('hex')),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('frame more events than an array 16 holds as an array 32', () => {
    const r = { streamId: 'many', revision: 0, recordedAt: 1, events: manyEvents(65_536) };
    expect(encodeRecord(r).equals(byDefinition(r))).toBe(true);
    expect(decodeRecord(encodeRecord(r)).events).toHaveLength(65_536);
  });

  it('keep the layout logs were written with (a vector from the first implementation)', () => {
    const bytes = encodeRecord({
      streamId: 'committee-ht-1',
      revision: 7,
      recordedAt: 1_764_720_000_123,
      events: [
        { content: Buffer.from('abc'), hash: Buffer.alloc(32, 1) },
        { content: Buffer.alloc(300, 2), hash: Buffer.alloc(32, 3) },
      ],
    });
    const expected = [
      '94', // [stream, revision, recorded at, events]
      'ae' + Buffer.from('committee-ht-1').toString('hex'),
      '07',
      'cb4279ae1823c7b000', // 1 764 720 000 123 as a float 64, as MessagePack encoders write it
      '92', // two events
      '92' + 'c403' + '616263' + 'c420' + '01'.repeat(32),
      '92' + 'c5012c' + '02'.repeat(300) + 'c420' + '03'.repeat(32),
      '99fd79a0', // CRC-32 of all of the above
    ].join('');
    expect(bytes.toString('hex')).toBe(expected);
  });

  it('refuse a record whose bytes changed, whichever byte it is', () => {
    const bytes = encodeRecord({
      streamId: 's',
      revision: 0,
      recordedAt: 1,
      events: [{ content: Buffer.from('x'), hash: Buffer.alloc(32) }],
    });
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const damaged = Buffer.from(bytes);
        damaged[at] = (damaged[at] as number) ^ flip;
        expect(() => decodeRecord(damaged)).toThrow(RecordDamage);
      }),
    );
  });
});
