/**
 * The C allocator's settings a long-running cogov server starts with (R6, ADR 19).
 *
 * glibc's malloc gives a freed block back to the system only if it was mmap-ed, and each time a
 * large mmap-ed block is freed it raises the size from which blocks are mmap-ed, up to 32 MiB. A
 * server that now and then allocates and frees buffers of a few MiB then carves them from its
 * heap, which gives memory back only from its top. In the soak, after six minutes glibc held
 * 213 MiB for 42 MiB in use, and `malloc_trim` (called from a debugger) gave back 170 MiB at once.
 * A fixed threshold keeps large blocks mmap-ed, so that they go back to the system when freed.
 * glibc reads it only as a process starts, so it is set where a server is started: `pnpm start`,
 * the soak's and the benchmarks' servers, and an operator's service unit (README). Other C
 * libraries ignore it.
 */
export const SERVER_ALLOCATOR: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };

/** `env` with the server's allocator settings added, where the operator has not chosen their own. */
export const withServerAllocator = (env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv => ({
  ...SERVER_ALLOCATOR,
  ...env,
});

/**
 * What `cogov serve` says when it was started on Linux without the settings (or null): the server
 * runs, but its resident memory grows with the freed memory glibc keeps.
 */
export const allocatorWarning = (
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | null => {
  if (platform !== 'linux') return null;
  const missing = Object.keys(SERVER_ALLOCATOR).filter((name) => env[name] === undefined);
  if (missing.length === 0 || env['GLIBC_TUNABLES']?.includes('glibc.malloc.mmap_threshold') === true)
    return null;
  return `# ${missing.map((name) => `${name}=${SERVER_ALLOCATOR[name] ?? ''}`).join(' ')} is not set: glibc will keep memory this server frees, and its resident memory grows over days (README, "Running a server")`;
};
