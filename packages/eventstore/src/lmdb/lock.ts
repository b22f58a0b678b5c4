import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirectoryError } from '../errors.ts';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * An exclusive lock on a data directory: a `LOCK` file holding the owner's pid, as PostgreSQL's
 * postmaster.pid does. LMDB itself lets several processes share an environment; cogov's group
 * commit and position counter assume one writer, so a second process is refused with a clear
 * error. A lock left by a process that died (SIGKILL, power loss) is taken over.
 */
export class DirectoryLock {
  private constructor(private readonly file: string) {}

  static acquire(directory: string): DirectoryLock {
    const file = join(directory, 'LOCK');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new DirectoryLock(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
          throw new DataDirectoryError(
            directory,
            'read-only',
            'is not writable (cogov needs to write its log there)',
            { cause: error },
          );
        }
        if (code !== 'EEXIST')
          throw new DataDirectoryError(
            directory,
            'unusable',
            `cannot create its lock file: ${String(error)}`,
            { cause: error },
          );
        const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
          throw new DataDirectoryError(
            directory,
            'locked',
            `is in use by process ${owner} (stop it, or use another directory)`,
          );
        }
        // Stale: its owner is gone. Remove it and race for a fresh one (only one 'wx' open wins).
        try {
          unlinkSync(file);
        } catch {
          // another process removed it first
        }
      }
    }
    throw new DataDirectoryError(
      directory,
      'locked',
      'is being opened by another process at the same moment',
    );
  }

  release(): void {
    try {
      if (Number.parseInt(readFileSync(this.file, 'utf8'), 10) === process.pid) unlinkSync(this.file);
    } catch {
      // already gone
    }
  }
}
