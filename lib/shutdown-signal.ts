let controller = new AbortController();
let shutdownsInProgress = 0;

/**
 * A signal that aborts when `closeGracefully()` begins, so a long task can
 * wrap up early (save its progress, stop its loop) while there is time.
 * Unlike `taskSignal()`, it does not mean the task is being given up on.
 * Once the shutdown has finished, a fresh signal takes its place.
 *
 * @example
 * async function reindexAll(ids: string[]) {
 *   for (const id of ids) {
 *     if (shutdownSignal().aborted) return saveProgress(id);
 *     await reindex(id);
 *   }
 * }
 */
export function shutdownSignal(): AbortSignal {
  return controller.signal;
}

export function beginShutdown(): void {
  shutdownsInProgress++;
  if (!controller.signal.aborted) {
    controller.abort(new Error('The server is shutting down'));
  }
}

export function endShutdown(): void {
  shutdownsInProgress--;
  if (shutdownsInProgress === 0) controller = new AbortController();
}
