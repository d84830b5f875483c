import { assertFunction } from './describe';

/** Any function a task can call: sync or async, any parameters. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TaskFunction<Args extends unknown[] = any[], Result = unknown> = (
  ...args: Args
) => Result;

/**
 * One call of a function, kept to be made after the response.
 * The arguments are checked against the function's parameters.
 *
 * @example
 * const welcome = new BackgroundTask(sendWelcomeEmail, 'ada@example.com');
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class BackgroundTask<Args extends unknown[] = any[], Result = unknown> {
  /** The function's name, or `'anonymous'`. */
  readonly name: string;
  readonly fn: TaskFunction<Args, Result>;
  readonly args: Readonly<Args>;

  constructor(fn: TaskFunction<Args, Result>, ...args: NoInfer<Args>) {
    assertFunction('fn', fn);
    this.fn = fn;
    this.args = Object.freeze(args);
    this.name = fn.name || 'anonymous';
  }

  /** Calls the function once; a sync throw becomes a rejection. */
  async run(): Promise<Awaited<Result>> {
    return await this.fn(...(this.args as Args));
  }
}
