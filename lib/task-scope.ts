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

/** Calls the task's function, with `taskSignal()` reading this run. */
export function callInScope(run: TaskRun): unknown {
  return currentRun.run(run, callTask, run.task);
}

function callTask(task: BackgroundTask): unknown {
  return task.fn(...task.args);
}

const neverAborted = new AbortController().signal;

/**
 * The abort signal of the task that is running now. It aborts when the
 * task passes its `timeout` or when shutdown gives up on it. Outside a
 * task (a task function called directly, say) it never aborts.
 *
 * @example
 * async function callWebhook(url: string) {
 *   await fetch(url, { method: 'POST', signal: taskSignal() });
 * }
 */
export function taskSignal(): AbortSignal {
  return currentRun.getStore()?.signal ?? neverAborted;
}
