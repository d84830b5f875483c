import { AsyncResource } from 'node:async_hooks';
import createDebug from 'debug';
import {
  assertKnownKeys,
  expectationError,
  isPlainObject,
} from './describe';
import { AbandonedError, OverloadError, TimeoutError } from './errors';
import { isPromiseLike } from './promise-like';
import {
  describeRequest,
  printTaskError,
  type RequestSource,
  type TaskErrorInfo,
} from './report';
import {
  assertDuration,
  defaultSettings,
  mergeSettings,
  type RunnerOptions,
  type RunnerSettings,
} from './settings';
import type { BackgroundTask } from './task';
import { abortUnscopedTasks, callTask, TaskRun } from './task-scope';

const debug = createDebug('express-background-tasks:runner');

/** Started slots the waiting queue may keep before it is copied down. */
const compactAfter = 1024;

export interface DrainOptions {
  /** Milliseconds to wait at most; by default, as long as it takes. */
  timeout?: number;
}

export interface DrainResult {
  /** Tasks that finished well since the previous drain. */
  completed: number;
  /** Tasks that failed (timeouts included) since the previous drain. */
  failed: number;
  /** Tasks not finished yet, plus requests whose tasks are not known yet. */
  pending: number;
}

export interface RunnerStats {
  /** Tasks handed to the runner since the process started. */
  scheduled: number;
  /** Tasks accepted and not started yet. */
  waiting: number;
  running: number;
  completed: number;
  /** Failed tasks, timed out ones included. */
  failed: number;
  timedOut: number;
  /** Tasks not run because an earlier task of their list failed. */
  skipped: number;
  /** Tasks refused because `maxPending` lists already waited. */
  overloaded: number;
  /** Tasks given up on at shutdown. */
  abandoned: number;
  /** Requests in progress whose tasks are not known yet. */
  awaiting: number;
}

/** A request's place in the runner, held from the moment it starts. */
export interface Reservation {
  /** Hands over the request's tasks; they start now or when a slot frees. */
  schedule(tasks: readonly BackgroundTask[]): void;
  /** The request will have no tasks (its handler failed, say). */
  cancel(): void;
}

/** Where tasks run. The default runs them in this process. */
export interface TaskRunner {
  reserve(request?: RequestSource): Reservation;
  drain(options?: DrainOptions): Promise<DrainResult>;
  stats(): RunnerStats;
}

type ListState = 'reserved' | 'waiting' | 'running' | 'done';

class TaskList implements Reservation {
  state: ListState = 'reserved';
  tasks: readonly BackgroundTask[] = [];
  /** Index of the next task to start. */
  next = 0;
  current: TaskRun | undefined;
  abandoned = false;
  resume: AsyncResource | undefined;

  constructor(
    private readonly runner: InProcessRunner,
    readonly sequence: number,
    readonly request: RequestSource | undefined,
  ) {}

  schedule(tasks: readonly BackgroundTask[]): void {
    this.runner.accept(this, tasks);
  }

  cancel(): void {
    this.runner.cancel(this);
  }
}

interface DrainWaiter {
  readonly before: number;
  /** Lists that began before the drain and are not done yet. */
  remaining: number;
  readonly finish: () => void;
}

/** Runs each request's tasks in order, in this process. */
export class InProcessRunner implements TaskRunner {
  #settings: Readonly<RunnerSettings> = defaultSettings;
  #counts = {
    scheduled: 0,
    completed: 0,
    failed: 0,
    timedOut: 0,
    skipped: 0,
    overloaded: 0,
    abandoned: 0,
  };
  #waitingTasks = 0;
  #awaiting = 0;
  #activeLists = 0;
  #runningTasks = 0;
  #queue: (TaskList | undefined)[] = [];
  #queueHead = 0;
  /** Lists not done yet, oldest first: a Set keeps insertion order. */
  #outstanding = new Set<TaskList>();
  #nextSequence = 0;
  #drains: DrainWaiter[] = [];
  #reportedAt = { completed: 0, failed: 0 };
  #startingWaiting = false;

  configure(options: RunnerOptions): void {
    this.#settings = mergeSettings(this.#settings, options);
    this.#startWaiting();
  }

  reserve(request?: RequestSource): Reservation {
    // Only the fields reports read: holding the request itself would keep
    // its socket, response and app graph alive while its tasks run.
    const source: RequestSource | undefined = request && {
      method: request.method,
      url: request.originalUrl ?? request.url,
    };
    const list = new TaskList(this, this.#nextSequence++, source);
    this.#outstanding.add(list);
    this.#awaiting++;
    return list;
  }

  /** Schedules tasks whose request already has its response. */
  schedule(tasks: readonly BackgroundTask[], request?: RequestSource): void {
    this.reserve(request).schedule(tasks);
  }

  /** @internal */
  accept(list: TaskList, tasks: readonly BackgroundTask[]): void {
    if (list.state !== 'reserved') return;
    this.#awaiting--;
    if (tasks.length === 0) return this.#finish(list);

    list.tasks = tasks;
    list.state = 'waiting';
    this.#counts.scheduled += tasks.length;
    this.#waitingTasks += tasks.length;
    const { concurrency, maxPending } = this.#settings;
    if (list.abandoned) {
      this.#giveUp(list);
      return;
    }
    if (this.#activeLists < concurrency) return this.#start(list);
    if (this.#queue.length - this.#queueHead >= maxPending) {
      return this.#refuse(list, maxPending);
    }
    // It starts later from another list's turn: keep this request's context.
    list.resume = new AsyncResource('express-background-tasks');
    this.#queue.push(list);
  }

  /** @internal */
  cancel(list: TaskList): void {
    if (list.state !== 'reserved') return;
    this.#awaiting--;
    this.#finish(list);
  }

  drain(options: DrainOptions = {}): Promise<DrainResult> {
    if (!isPlainObject(options)) {
      throw expectationError('options', 'an object', options);
    }
    assertKnownKeys('options', options, ['timeout']);
    const timeout: unknown = options.timeout ?? Infinity;
    assertDuration('timeout', timeout);

    const before = this.#nextSequence;
    const remaining = this.#outstanding.size;
    if (remaining === 0) return Promise.resolve(this.#drainResult());
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#drains = this.#drains.filter((each) => each !== waiter);
        resolve(this.#drainResult());
      };
      const waiter = { before, remaining, finish };
      const timer =
        timeout === Infinity ? undefined : setTimeout(finish, timeout);
      this.#drains.push(waiter);
    });
  }

  stats(): RunnerStats {
    return {
      ...this.#counts,
      waiting: this.#waitingTasks,
      running: this.#runningTasks,
      awaiting: this.#awaiting,
    };
  }

  /**
   * Gives up on every task not finished, for a shutdown that cannot wait
   * longer: running tasks see their signal abort, the rest never start,
   * and each list is reported to `onError` as abandoned. The tasks of
   * requests still in progress are given up on when they arrive.
   * Returns the names of the tasks given up on now.
   */
  abandon(): string[] {
    const names: string[] = [];
    for (const list of this.#outstanding) {
      if (list.state === 'reserved') list.abandoned = true;
      else names.push(...this.#giveUp(list));
    }
    abortUnscopedTasks(new AbandonedError());
    // Every waiting list was given up on: this only lets later ones start.
    this.#startWaiting();
    return names;
  }

  /** Reports what a list has not finished as abandoned; returns the names. */
  #giveUp(list: TaskList): string[] {
    const notStarted = list.tasks.slice(list.next);
    const names = [list.current?.task, ...notStarted]
      .filter(isTask)
      .map((task) => task.name);
    list.abandoned = true;
    list.next = list.tasks.length;
    const running = list.current;
    if (running !== undefined) {
      running.abort(new AbandonedError(running.task.name));
      // Counted as abandoned from now on, not as running.
      list.current = undefined;
      this.#runningTasks--;
    }
    this.#counts.abandoned += names.length;
    this.#waitingTasks -= notStarted.length;

    const [first, ...rest] = names;
    if (first !== undefined) {
      this.#report(new AbandonedError(first), first, rest, list.request);
    }
    // As after a timeout, the runner stops waiting for the task's code:
    // its slot is free and drain() no longer counts it.
    if (list.state === 'running') this.#activeLists--;
    this.#finish(list);
    return names;
  }

  #start(list: TaskList): void {
    list.state = 'running';
    this.#activeLists++;
    this.#advance(list);
  }

  /**
   * Runs a list's tasks from `list.next` on. Sync tasks run one after
   * another in this turn; an async one is awaited, then the rest go on.
   * No promise is made for a task that returns none: most tasks are
   * small, and a promise per task would cost more than many of them.
   */
  #advance(list: TaskList): void {
    const { tasks } = list;
    while (list.next < tasks.length && !list.abandoned) {
      const index = list.next++;
      this.#waitingTasks--;
      const run = new TaskRun(tasks[index] as BackgroundTask);
      list.current = run;
      this.#runningTasks++;

      let returned: unknown;
      try {
        returned = callTask(run, this.#settings.timeout !== Infinity);
      } catch (error) {
        this.#fail(list, run, index, error);
        return;
      }
      if (isPromiseLike(returned)) {
        this.#await(list, run, index, returned);
        return;
      }
      if (!this.#complete(list, run)) return;
    }
    this.#end(list);
  }

  #await(
    list: TaskList,
    run: TaskRun,
    index: number,
    returned: PromiseLike<unknown>,
  ): void {
    this.#withTimeout(run, returned).then(
      () => {
        if (this.#complete(list, run)) this.#advance(list);
      },
      (error: unknown) => this.#fail(list, run, index, error),
    );
  }

  /** Books a task that finished well; false when its list has ended. */
  #complete(list: TaskList, run: TaskRun): boolean {
    if (!this.#release(list, run)) return false;
    this.#counts.completed++;
    return true;
  }

  /** Books a failed task and stops its list, skipping the rest. */
  #fail(list: TaskList, run: TaskRun, index: number, error: unknown): void {
    if (!this.#release(list, run)) return;
    this.#counts.failed++;
    if (run.timedOut) this.#counts.timedOut++;
    const skipped = list.tasks.slice(index + 1).map((each) => each.name);
    list.next = list.tasks.length;
    this.#counts.skipped += skipped.length;
    this.#waitingTasks -= skipped.length;
    this.#report(error, run.task.name, skipped, list.request);
    this.#end(list);
  }

  /**
   * Frees the task's place. A task given up on at shutdown was booked
   * then: whatever it does now, its list has ended (false).
   */
  #release(list: TaskList, run: TaskRun): boolean {
    if (list.current === run) {
      list.current = undefined;
      this.#runningTasks--;
    }
    if (!list.abandoned) return true;
    this.#end(list);
    return false;
  }

  /** Lets go of a list that ran out of tasks, failed or was given up on. */
  #end(list: TaskList): void {
    // A list given up on was let go of then.
    if (list.state === 'done') return;
    this.#activeLists--;
    this.#finish(list);
    this.#startWaiting();
  }

  #withTimeout(
    run: TaskRun,
    returned: PromiseLike<unknown>,
  ): PromiseLike<unknown> {
    const { timeout } = this.#settings;
    if (timeout === Infinity) return returned;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new TimeoutError(run.task.name, timeout);
        run.timedOut = true;
        run.abort(error);
        reject(error);
      }, timeout);
      returned.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** Starts waiting lists while slots are free, oldest first. */
  #startWaiting(): void {
    // A list of sync tasks ends inside #start and calls back here: the
    // loop below goes on instead, so the stack does not grow per list.
    if (this.#startingWaiting) return;
    this.#startingWaiting = true;
    try {
      this.#startWhileFree();
    } finally {
      this.#startingWaiting = false;
    }
  }

  #startWhileFree(): void {
    const { concurrency } = this.#settings;
    while (
      this.#activeLists < concurrency &&
      this.#queueHead < this.#queue.length
    ) {
      const list = this.#queue[this.#queueHead] as TaskList;
      this.#queue[this.#queueHead++] = undefined;
      if (list.abandoned) continue;
      const resume = list.resume as AsyncResource;
      list.resume = undefined;
      resume.runInAsyncScope(() => this.#start(list));
    }
    if (this.#queueHead === this.#queue.length) {
      this.#queue = [];
      this.#queueHead = 0;
    } else if (
      this.#queueHead > compactAfter &&
      this.#queueHead * 2 > this.#queue.length
    ) {
      // A queue that never empties must not keep every slot it ever used.
      this.#queue = this.#queue.slice(this.#queueHead);
      this.#queueHead = 0;
    }
  }

  #refuse(list: TaskList, maxPending: number): void {
    // A list is never empty here: empty ones finish when they arrive.
    const [first, ...rest] = list.tasks.map((task) => task.name) as [
      string,
      ...string[],
    ];
    this.#counts.overloaded += list.tasks.length;
    this.#waitingTasks -= list.tasks.length;
    debug('refused %d tasks of %o', list.tasks.length, list.request?.url);
    this.#report(new OverloadError(maxPending), first, rest, list.request);
    this.#finish(list);
  }

  #finish(list: TaskList): void {
    list.state = 'done';
    if (!this.#outstanding.delete(list)) return;
    if (this.#drains.length === 0) return;
    // Counted down rather than asking the Set for its oldest entry: after
    // many deletions that walks every deleted slot, once per finished list.
    for (const waiter of [...this.#drains]) {
      if (list.sequence < waiter.before && --waiter.remaining === 0) {
        waiter.finish();
      }
    }
  }

  #drainResult(): DrainResult {
    const { completed, failed } = this.#counts;
    const result = {
      completed: completed - this.#reportedAt.completed,
      failed: failed - this.#reportedAt.failed,
      pending: this.#waitingTasks + this.#runningTasks + this.#awaiting,
    };
    this.#reportedAt = { completed, failed };
    return result;
  }

  #report(
    error: unknown,
    task: string,
    skipped: string[],
    request: RequestSource | undefined,
  ): void {
    const info: TaskErrorInfo = {
      task,
      skipped,
      request: describeRequest(request),
    };
    debug('task %s failed after %s %s', info.task, info.request.method,
      info.request.path);
    try {
      const returned = this.#settings.onError(error, info);
      if (isPromiseLike(returned)) {
        returned.then(undefined, (hookError: unknown) => {
          reportHookFailure(hookError, error, info);
        });
      }
    } catch (hookError) {
      reportHookFailure(hookError, error, info);
    }
  }
}

/** An `onError` that throws must not lose the report it was given. */
function reportHookFailure(
  hookError: unknown,
  error: unknown,
  info: TaskErrorInfo,
): void {
  printTaskError(error, info);
  printTaskError(hookError, { ...info, task: `onError for ${info.task}` });
}

function isTask(value: BackgroundTask | undefined): value is BackgroundTask {
  return value !== undefined;
}

/** The runner behind the route helpers, `drain()` and `stats()`. */
export const defaultRunner = new InProcessRunner();
