import {
  assertKnownKeys,
  expectationError,
  isPlainObject,
} from './describe';
import { BackgroundTask, type TaskFunction } from './task';

export interface BackgroundTasksOptions {
  tasks?: readonly BackgroundTask[];
}

/**
 * An ordered list of tasks, run one after another.
 *
 * @example
 * const tasks = new BackgroundTasks()
 *   .addTask(removeFile, '/tmp/upload')
 *   .addTask(logEvent, 42);
 */
export class BackgroundTasks {
  #tasks: BackgroundTask[];
  #view: readonly BackgroundTask[] | undefined;

  constructor(options: BackgroundTasksOptions = {}) {
    if (!isPlainObject(options)) {
      throw expectationError('options', 'an object', options);
    }
    assertKnownKeys('options', options, ['tasks']);
    const tasks = options.tasks ?? [];
    if (!Array.isArray(tasks)) {
      throw expectationError('tasks', 'an array of BackgroundTask', tasks);
    }
    tasks.forEach(assertTask);
    this.#tasks = [...tasks];
  }

  /** The tasks in order, as a frozen snapshot. */
  get tasks(): readonly BackgroundTask[] {
    this.#view ??= Object.freeze([...this.#tasks]);
    return this.#view;
  }

  /**
   * Appends a call of `fn(...args)`, or a task made earlier.
   * Returns the list, so calls chain.
   */
  addTask<Args extends unknown[], Result>(
    fn: TaskFunction<Args, Result>,
    ...args: NoInfer<Args>
  ): this;
  addTask(task: BackgroundTask): this;
  addTask(fnOrTask: unknown, ...args: unknown[]): this {
    const task =
      fnOrTask instanceof BackgroundTask && args.length === 0
        ? fnOrTask
        : new BackgroundTask(fnOrTask as TaskFunction, ...args);
    this.#tasks.push(task);
    this.#view = undefined;
    return this;
  }

  /** Runs the tasks in order; stops at the first failure and rethrows it. */
  async run(): Promise<void> {
    for (const task of this.tasks) await task.run();
  }
}

function assertTask(task: unknown, index: number): void {
  if (!(task instanceof BackgroundTask)) {
    throw expectationError(`tasks[${index}]`, 'a BackgroundTask', task);
  }
}
