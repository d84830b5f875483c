import { AsyncLocalStorage } from 'node:async_hooks';
import type { BackgroundTask } from './task';

/** One run of one task: where its abort signal lives. */
export class TaskRun {
  #controller: AbortController | undefined;
  timedOut = false;

  constructor(readonly task: BackgroundTask) {}

  /** Made on first use: most tasks never ask for it. */
  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  abort(reason: Error): void {
    this.#controller ??= new AbortController();
    this.#controller.abort(reason);
  }
}

const currentRun = new AsyncLocalStorage<TaskRun>();

/** Aborts when shutdown gives up on the tasks running then. */
let givingUp = new AbortController();

/**
 * Calls the task's function. With a timeout, in a scope of its own, so
 * that `taskSignal()` can tell this task's timeout from another's.
 * Without one, no scope is needed: only a shutdown can abort the signal,
 * and it gives up on every running task at once. On Node 20 the first
 * scope turns on async hooks for the whole process, which costs every
 * request a few percent of its CPU from then on.
 */
export function callTask(run: TaskRun, timed: boolean): unknown {
  return timed ? currentRun.run(run, invoke, run.task) : invoke(run.task);
}

function invoke(task: BackgroundTask): unknown {
  return task.fn(...task.args);
}

/** Aborts the signal of the running tasks that have no scope. */
export function abortUnscopedTasks(reason: Error): void {
  givingUp.abort(reason);
  givingUp = new AbortController();
}

/**
 * The abort signal of the task that is running now. It aborts when the
 * task passes its `timeout` or when shutdown gives up on it. Outside a
 * task (a task function called directly, say) it aborts only when a
 * shutdown gives up on the tasks running then.
 *
 * @example
 * async function callWebhook(url: string) {
 *   await fetch(url, { method: 'POST', signal: taskSignal() });
 * }
 */
export function taskSignal(): AbortSignal {
  return currentRun.getStore()?.signal ?? givingUp.signal;
}
