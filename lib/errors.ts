/** A task ran past the `timeout` set with `configure()`. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';

  constructor(
    readonly task: string,
    readonly timeout: number,
  ) {
    super(`Task "${task}" timed out after ${timeout} ms`);
  }
}

/** A task list was refused because `maxPending` lists already waited. */
export class OverloadError extends Error {
  override name = 'OverloadError';

  constructor(readonly maxPending: number) {
    super(`Task list refused: ${maxPending} lists are already waiting`);
  }
}

/**
 * A task was still running, or had not started, when shutdown gave up.
 * Without a task name, it is the reason of the signal all running tasks
 * share when no `timeout` is set.
 */
export class AbandonedError extends Error {
  override name = 'AbandonedError';

  constructor(readonly task?: string) {
    super(
      task === undefined
        ? 'Running tasks were abandoned at shutdown'
        : `Task "${task}" was abandoned at shutdown`,
    );
  }
}
