/**
 * The reason behind lmdb-js's generic "Commit failed", which it reports on `error.commitError`: a
 * promise of its own that rejects with the real cause (ENOSPC, EIO). Awaiting it here also gives
 * that promise a handler: left alone, its rejection is unhandled and ends the process. Waits at
 * most a second for it; resolves with the failure itself when there is no such promise.
 */
export const commitCause = async (failure: unknown): Promise<unknown> => {
  const commitError = (failure as { commitError?: unknown } | null)?.commitError;
  if (!(commitError instanceof Promise)) return failure;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      commitError.then(
        () => failure,
        (cause: unknown) => cause,
      ),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve(failure), 1_000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};
