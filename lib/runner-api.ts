import {
  defaultRunner,
  type DrainOptions,
  type DrainResult,
  type RunnerStats,
} from './runner';
import type { RunnerOptions } from './settings';

/**
 * Sets how tasks run. Each call changes only the keys it names; a key
 * given as `undefined` goes back to its default.
 *
 * @example
 * configure({
 *   onError: (error, { task, request }) => logger.error({ error, task, request }),
 * });
 */
export function configure(options: RunnerOptions): void {
  defaultRunner.configure(options);
}

/**
 * Waits until every task scheduled so far has finished, or `timeout` ms.
 *
 * @example
 * await request(app).post('/register').send({ email });
 * await drain();
 */
export function drain(options?: DrainOptions): Promise<DrainResult> {
  return defaultRunner.drain(options);
}

/** Counts of the tasks seen since the process started. */
export function stats(): RunnerStats {
  return defaultRunner.stats();
}
