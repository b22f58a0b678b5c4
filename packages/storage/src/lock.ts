import { closeSync, openSync, readFileSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DataDirectoryError } from './errors.ts';

/** Who holds a lock: enough to tell the process apart from a later one that got the same pid. */
interface Owner {
  readonly pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat), when known. */
  readonly start: string | null;
  /** The kernel's boot id, when known: after a reboot every pid is someone else's. */
  readonly boot: string | null;
  readonly host: string;
}

const readOr = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces and parentheses). */
const startOf = (pid: number): string | null => {
  const stat = readOr(`/proc/${pid}/stat`);
  if (stat === null) return null;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
};

const bootId = () => readOr('/proc/sys/kernel/random/boot_id');

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const me = (): Owner => ({ pid: process.pid, start: startOf(process.pid), boot: bootId(), host: hostname() });

/** A lock file as written by this version (JSON) or an earlier one (a pid alone). */
const parseOwner = (text: string): Owner | null => {
  try {
    const parsed = JSON.parse(text) as Partial<Owner>;
    if (typeof parsed.pid === 'number')
      return {
        pid: parsed.pid,
        start: parsed.start ?? null,
        boot: parsed.boot ?? null,
        host: parsed.host ?? '',
      };
  } catch {
    // an earlier format
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? { pid, start: null, boot: null, host: '' } : null;
};

/** A directory's path with its links resolved, so that one directory has one lock whatever its spelling. */
const canonical = (directory: string): string => {
  try {
    return realpathSync.native(directory);
  } catch {
    return resolve(directory);
  }
};

/**
 * Whether the process named by a lock still holds it: alive, and (where the lock says when it
 * started and on which boot) the same process, not a later one that was given the same pid.
 */
const holds = (owner: Owner): boolean => {
  if (owner.pid === process.pid) return false;
  if (!isAlive(owner.pid)) return false;
  const boot = bootId();
  if (owner.boot !== null && boot !== null && owner.boot !== boot) return false;
  const start = startOf(owner.pid);
  if (owner.start !== null && start !== null && owner.start !== start) return false;
  return true;
};

/**
 * An exclusive lock on a data directory: a `LOCK` file naming its owner (pid, start time, boot
 * id), as PostgreSQL's postmaster.pid does. LMDB itself lets several processes share an
 * environment; cogov's group commit and position counter assume one writer, so a second process
 * is refused with a clear error. A lock left by a process that died (SIGKILL, power loss), or
 * whose pid now belongs to another process, is taken over.
 */
export class DirectoryLock {
  /**
   * The lock files this process holds. A lock file naming this process is stale only when no
   * lock of this process holds it (a process before this one with the same pid left it): one
   * still held means the directory is open here already, and a second store on it would be a
   * second writer.
   */
  static readonly #held = new Set<string>();
  #released = false;

  private constructor(private readonly file: string) {}

  static acquire(directory: string): DirectoryLock {
    const file = join(canonical(directory), 'LOCK');
    if (DirectoryLock.#held.has(file))
      throw new DataDirectoryError(
        directory,
        'locked',
        'is already open in this process: close the store that holds it first.',
      );
    const lock = DirectoryLock.#take(directory, file);
    DirectoryLock.#held.add(file);
    return lock;
  }

  static #take(directory: string, file: string): DirectoryLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        try {
          writeSync(fd, `${JSON.stringify(me())}\n`);
        } catch (error) {
          // Half made (a full disk): let go of it, or its descriptor would hold the volume and
          // an empty lock file would be left behind.
          closeSync(fd);
          try {
            unlinkSync(file);
          } catch {
            // already gone: nothing left behind
          }
          throw error;
        }
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
        if (code === 'ENOSPC' || code === 'EDQUOT')
          throw new DataDirectoryError(
            directory,
            'unusable',
            'has no space left (its volume is full): free some space, then start again. Nothing was written.',
            { cause: error },
          );
        if (code !== 'EEXIST')
          throw new DataDirectoryError(
            directory,
            'unusable',
            `cannot create its lock file: ${String(error)}`,
            { cause: error },
          );
        const owner = parseOwner(readOr(file) ?? '');
        if (owner !== null && holds(owner)) {
          const known = owner.start !== null;
          throw new DataDirectoryError(
            directory,
            'locked',
            `is in use by process ${owner.pid}${owner.host === '' ? '' : ` on ${owner.host}`}: stop it, or use another directory.` +
              (known
                ? ''
                : ` If process ${owner.pid} is not a cogov (see \`ps -o pid,lstart,args -p ${owner.pid}\`), the lock is stale: remove ${file}.`),
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
    if (this.#released) return;
    this.#released = true;
    DirectoryLock.#held.delete(this.file);
    try {
      if (parseOwner(readFileSync(this.file, 'utf8'))?.pid === process.pid) unlinkSync(this.file);
    } catch {
      // already gone
    }
  }
}
