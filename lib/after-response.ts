import { AsyncResource } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import { type Background, assertBackground, tasksOf } from './background';
import { expectationError } from './describe';
import { whenResponseDone } from './response-done';
import { defaultRunner, type Reservation } from './runner';
import type { BackgroundTask } from './task';

/**
 * Joins the two things a request's tasks wait for: the response being
 * done (finished, or its connection closed) and the tasks being known
 * (the handler has returned). Whichever comes last starts them, once.
 */
export class AfterResponse {
  #response: ServerResponse;
  #reservation: Reservation;
  /** The request's async context, which its tasks run in. */
  #context = new AsyncResource('express-background-tasks');
  #sources: readonly Background[] | undefined;
  #responseDone = false;
  #started = false;

  constructor(res: ServerResponse) {
    this.#response = res;
    this.#reservation = defaultRunner.reserve(res.req);
    whenResponseDone(res, () => {
      this.#responseDone = true;
      this.#startWhenReady();
    });
  }

  /**
   * The tasks are known; each list is read when they start. A list
   * already attached to the response, by `runAfterResponse` or a route,
   * is left out: it runs once.
   */
  commit(sources: readonly Background[]): void {
    this.#sources = claim(this.#response, sources);
    this.#startWhenReady();
  }

  /** The request will run no tasks. */
  cancel(): void {
    this.#reservation.cancel();
  }

  #startWhenReady(): void {
    if (this.#started || !this.#responseDone) return;
    const sources = this.#sources;
    if (sources === undefined) return;
    this.#started = true;
    // Nothing can join an empty set of sources: spare the request a turn.
    if (sources.length === 0) this.#reservation.schedule([]);
    else startInNextTurn(this);
  }

  /** @internal */
  start(): void {
    const sources = this.#sources as readonly Background[];
    this.#context.runInAsyncScope(() => {
      this.#reservation.schedule(tasksFrom(sources));
    });
  }
}

let startQueue: AfterResponse[] = [];

/**
 * Starts tasks in a later turn, so the next request on the connection is
 * not held up. One immediate serves every request that ended in the same
 * turn: an immediate per request cost a few percent of a request's CPU.
 */
function startInNextTurn(after: AfterResponse): void {
  if (startQueue.length === 0) setImmediate(startQueued);
  startQueue.push(after);
}

function startQueued(): void {
  const queue = startQueue;
  startQueue = [];
  for (const after of queue) after.start();
}

const attached = new WeakMap<ServerResponse, WeakSet<Background>>();

/**
 * Runs a task or a list after any Express or node:http response is done.
 * Tasks added to the list before then run too; a list attached twice
 * to the same response runs once.
 *
 * @example
 * app.post('/upload', (req, res) => {
 *   runAfterResponse(res, new BackgroundTask(removeFile, req.file.path));
 *   res.sendStatus(204);
 * });
 */
export function runAfterResponse(
  res: ServerResponse,
  background: Background,
): void {
  if (!isResponse(res)) {
    throw expectationError('res', 'an HTTP response', res);
  }
  assertBackground('background', background);
  if (attached.get(res)?.has(background) === true) return;
  new AfterResponse(res).commit([background]);
}

/** Marks `sources` attached to `res`; returns those that were not yet. */
function claim(
  res: ServerResponse,
  sources: readonly Background[],
): Background[] {
  const seen = attached.get(res) ?? new WeakSet<Background>();
  attached.set(res, seen);
  return sources.filter((source) => {
    if (seen.has(source)) return false;
    seen.add(source);
    return true;
  });
}

function tasksFrom(sources: readonly Background[]): readonly BackgroundTask[] {
  if (sources.length === 1) return tasksOf(sources[0]);
  return sources.flatMap(tasksOf);
}

function isResponse(value: unknown): value is ServerResponse {
  const candidate = value as Partial<ServerResponse> | null | undefined;
  return (
    typeof candidate?.on === 'function' &&
    typeof candidate.end === 'function' &&
    typeof candidate.setHeader === 'function'
  );
}
