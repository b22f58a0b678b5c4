import type { EventId } from './ids.ts';

const bytes = new Uint8Array(16);
// Random bytes are drawn a pool at a time: one getRandomValues call per id costs more than the rest.
const pool = new Uint8Array(4096);
let poolAt = pool.length;
const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
let lastMs = 0;
let sequence = 0;

/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter that
 * keeps ids from one millisecond in order, then random bits. Ids minted in order sort in order,
 * so the event-id index of an append-only log grows at its end instead of at random pages.
 *
 * @example
 * newEventId() // '019ab3c2-7d10-7000-8f3e-5c1a2b3d4e5f'
 */
export const newEventId = (): EventId => {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    sequence++;
    if (sequence > 0xfff) {
      ms = ++lastMs;
      sequence = 0;
    }
  } else {
    sequence = 0;
  }
  lastMs = ms;
  if (poolAt + 8 > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolAt = 0;
  }
  bytes.set(pool.subarray(poolAt, poolAt + 8), 8);
  poolAt += 8;
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = (ms >>> 24) & 0xff;
  bytes[3] = (ms >>> 16) & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | (sequence >>> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += hex[bytes[i] as number] as string;
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s as EventId;
};
