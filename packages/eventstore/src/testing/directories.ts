import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const tempDirectory = (prefix = 'cogov-'): string => mkdtempSync(join(tmpdir(), prefix));

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * A directory this process cannot write to. As an ordinary user a chmod does it; root ignores
 * permissions, so as root (CI machines) a read-only tmpfs is mounted instead.
 */
export const readOnlyDirectory = (): { readonly path: string; release(): void } => {
  const path = tempDirectory('cogov-ro-');
  if (!isRoot()) {
    chmodSync(path, 0o555);
    return { path, release: () => (chmodSync(path, 0o755), rmSync(path, { recursive: true, force: true })) };
  }
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', path]);
  return {
    path,
    release: () => (execFileSync('umount', [path]), rmSync(path, { recursive: true, force: true })),
  };
};

/** A small filesystem (root: a tmpfs of `megabytes`), to fill up on purpose. */
export const smallFilesystem = (megabytes: number): { readonly path: string; release(): void } => {
  const path = tempDirectory('cogov-small-');
  if (!isRoot()) throw new Error('a size-limited filesystem needs root (mount -t tmpfs)');
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', path]);
  mkdirSync(join(path, 'data'));
  return {
    path: join(path, 'data'),
    release: () => (execFileSync('umount', [path]), rmSync(path, { recursive: true, force: true })),
  };
};

/**
 * Fills the filesystem holding `directory` (a {@link smallFilesystem}'s path) to its last block
 * with a ballast file beside it; deleting the returned path gives the space back.
 */
export const fillFilesystem = (directory: string): string => {
  const ballast = join(dirname(directory), 'ballast');
  const fd = openSync(ballast, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let size = chunk.length; size >= 512;) {
      try {
        writeSync(fd, chunk, 0, size);
      } catch {
        size /= 2;
      }
    }
  } finally {
    closeSync(fd);
  }
  return ballast;
};
