import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocatorWarning, SERVER_ALLOCATOR, withServerAllocator } from './allocator.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('the server allocator settings', () => {
  it('are added to an environment that lacks them, and an operator’s own choice is kept', () => {
    expect(withServerAllocator({ PATH: '/bin' })).toEqual({ PATH: '/bin', ...SERVER_ALLOCATOR });
    expect(withServerAllocator({ MALLOC_MMAP_THRESHOLD_: '65536' })['MALLOC_MMAP_THRESHOLD_']).toBe('65536');
  });

  it('are what `pnpm start` runs the quick start’s server with', () => {
    const start = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
    ).scripts.start;
    for (const [name, value] of Object.entries(SERVER_ALLOCATOR))
      expect(start).toContain(`${name}=${value} node`);
  });

  describe('when `cogov serve` starts without them', () => {
    it('names what to set on Linux', () => {
      expect(allocatorWarning({}, 'linux')).toContain('MALLOC_MMAP_THRESHOLD_=131072');
    });

    it('says nothing once they are set, either way, or on a system without glibc', () => {
      expect(allocatorWarning(SERVER_ALLOCATOR, 'linux')).toBeNull();
      expect(allocatorWarning({ GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072' }, 'linux')).toBeNull();
      expect(allocatorWarning({}, 'darwin')).toBeNull();
    });
  });
});
