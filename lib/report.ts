import { inspect } from 'node:util';

/** The request a task belongs to, as error reports name it. */
export interface RequestInfo {
  readonly method: string;
  readonly path: string;
}

/** What `onError` hears besides the error itself. */
export interface TaskErrorInfo {
  /** The name of the task that failed. */
  readonly task: string;
  /** The names of the tasks of the same list that will not run. */
  readonly skipped: readonly string[];
  readonly request: RequestInfo;
}

export type ErrorHook = (error: unknown, info: TaskErrorInfo) => unknown;

/** The fields of a request (Express or node:http) that reports use. */
export interface RequestSource {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly originalUrl?: string | undefined;
}

const unknownRequest: RequestInfo = Object.freeze({
  method: 'UNKNOWN',
  path: '',
});

/** Method and path without the query string, which may hold secrets. */
export function describeRequest(
  source: RequestSource | undefined,
): RequestInfo {
  if (source === undefined) return unknownRequest;
  const url = source.originalUrl ?? source.url ?? '';
  const queryStart = url.indexOf('?');
  return {
    method: source.method ?? 'UNKNOWN',
    path: queryStart === -1 ? url : url.slice(0, queryStart),
  };
}

/** The default `onError`: one line naming task and request, then the stack. */
export function printTaskError(error: unknown, info: TaskErrorInfo): void {
  const { task, skipped, request } = info;
  let line = `express-background-tasks: task "${task}" failed after `;
  line += `${request.method} ${request.path}`;
  if (skipped.length > 0) line += ` (skipped: ${skipped.join(', ')})`;
  const detail =
    error instanceof Error ? (error.stack ?? error.message) : inspect(error);
  process.stderr.write(`${line}\n${detail}\n`);
}
