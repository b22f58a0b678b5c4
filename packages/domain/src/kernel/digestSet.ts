/**
 * A set of strings kept only as 32-bit digests, for "was this ever seen?" at about 6 bytes a
 * string: `mayHave` is never false for a string added, and true for one never added with odds of
 * about size / 2³² (a caller checks a hit against the source of truth). Open addressing with
 * linear probing in a Uint32Array; 0 marks an empty slot.
 *
 * @example
 * const seen = new DigestSet();
 * seen.add('points:e-1:m-1');
 * seen.mayHave('points:e-1:m-1'); // true
 * seen.mayHave('points:e-2:m-1'); // false (almost surely)
 */
export class DigestSet {
  #slots: Uint32Array;
  #size = 0;

  constructor(capacity = 8) {
    let slots = 8;
    while (slots * MAX_LOAD < capacity) slots *= 2;
    this.#slots = new Uint32Array(slots);
  }

  /** How many distinct digests it holds. */
  get size(): number {
    return this.#size;
  }

  add(value: string): void {
    this.#insert(digestOf(value));
  }

  mayHave(value: string): boolean {
    const digest = digestOf(value);
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let i = digest & mask; ; i = (i + 1) & mask) {
      const slot = slots[i] as number;
      if (slot === digest) return true;
      if (slot === 0) return false;
    }
  }

  #insert(digest: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let i = digest & mask;
    for (;;) {
      const slot = slots[i] as number;
      if (slot === digest) return;
      if (slot === 0) break;
      i = (i + 1) & mask;
    }
    slots[i] = digest;
    this.#size++;
    if (this.#size > slots.length * MAX_LOAD) this.#grow();
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(old.length * 2);
    this.#size = 0;
    for (const digest of old) if (digest !== 0) this.#insert(digest);
  }
}

/** Linear probing stays short below this load. */
const MAX_LOAD = 0.7;

/** FNV-1a over the UTF-16 code units, never 0 (0 marks an empty slot). */
export const digestOf = (value: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash >>>= 0;
  return hash === 0 ? 1 : hash;
};
