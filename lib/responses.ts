import { resolve as resolvePath } from 'node:path';
import { finished, type Readable } from 'node:stream';
import type { Response } from 'express';
import { type Background, assertBackground, isBackground } from './background';
import {
  assertKnownKeys,
  expectationError,
  isPlainObject,
} from './describe';
import { assertStatus } from './status';

export type HeaderValue = string | number | readonly string[];

export interface ResponseOptions {
  /** The status code; wins over the route's. */
  status?: number;
  headers?: Record<string, HeaderValue>;
  /** Tasks to run after this response. */
  background?: Background;
}

/** The second argument of every response helper. */
export type ResponseSetup = Background | ResponseOptions;

/**
 * A response a handler returns, with the tasks that ride on it.
 * `send` resolves once the tasks may start, and rejects when sending
 * failed: then they never run.
 */
export abstract class RouteResponse {
  readonly status: number | undefined;
  readonly headers: Readonly<Record<string, HeaderValue>> | undefined;
  readonly background: Background | undefined;

  constructor(setup: unknown, statusRange: StatusRange = anyStatus) {
    const options = readSetup(setup);
    if (options.status !== undefined) {
      assertStatus('status', options.status, statusRange);
    }
    this.status = options.status;
    this.headers = options.headers;
    this.background = options.background;
  }

  abstract send(res: Response, routeStatus: number): void | Promise<void>;

  protected begin(res: Response, status: number): void {
    // The status was checked when the response was made; res.status()
    // would check it again, through a slow lookup on Express's `res`.
    res.statusCode = status;
    if (this.headers !== undefined) res.set(this.headers);
  }

  /**
   * Takes back the headers set for a body that failed before any of it
   * went out, so the error middleware does not answer under them.
   */
  protected retract(res: Response): void {
    if (res.headersSent) return;
    res.removeHeader('content-type');
    for (const name of Object.keys(this.headers ?? {})) res.removeHeader(name);
  }
}

interface StatusRange {
  readonly least: number;
  readonly most: number;
}

const anyStatus: StatusRange = { least: 200, most: 599 };
const redirectStatus: StatusRange = { least: 300, most: 399 };

function readSetup(setup: unknown): ResponseOptions {
  if (setup === undefined) return {};
  if (isBackground(setup)) return { background: setup };
  if (!isPlainObject(setup)) {
    throw expectationError(
      'background',
      'a BackgroundTask, BackgroundTasks or response options',
      setup,
    );
  }
  assertKnownKeys('options', setup, ['status', 'headers', 'background']);
  if (setup.background !== undefined) {
    assertBackground('background', setup.background);
  }
  if (setup.headers !== undefined) assertHeaders(setup.headers);
  return setup as ResponseOptions;
}

function assertHeaders(headers: unknown): void {
  if (!isPlainObject(headers)) {
    throw expectationError('headers', 'an object', headers);
  }
  for (const [name, value] of Object.entries(headers)) {
    const valid =
      typeof value === 'string' ||
      typeof value === 'number' ||
      (Array.isArray(value) && value.every((each) => typeof each === 'string'));
    if (!valid) {
      throw expectationError(
        `headers.${name}`,
        'a string, number or array of strings',
        value,
      );
    }
  }
}

class JsonResponse extends RouteResponse {
  constructor(
    readonly body: unknown,
    setup?: unknown,
  ) {
    super(setup);
  }

  send(res: Response, routeStatus: number): void {
    this.begin(res, this.status ?? routeStatus);
    res.json(this.body);
  }
}

class TextResponse extends RouteResponse {
  constructor(
    readonly body: string,
    readonly contentType: string,
    setup?: unknown,
  ) {
    super(setup);
  }

  send(res: Response, routeStatus: number): void {
    this.begin(res, this.status ?? routeStatus);
    // A content-type given in `headers` wins, as it does for json().
    if (!res.hasHeader('content-type')) res.type(this.contentType);
    res.send(this.body);
  }
}

class RedirectResponse extends RouteResponse {
  constructor(
    readonly url: string,
    setup?: unknown,
  ) {
    super(setup, redirectStatus);
  }

  send(res: Response): void {
    this.begin(res, this.status ?? 302);
    res.redirect(this.status ?? 302, this.url);
  }
}

class StreamResponse extends RouteResponse {
  constructor(
    readonly body: Readable,
    setup?: unknown,
  ) {
    super(setup);
  }

  send(res: Response, routeStatus: number): Promise<void> {
    const body = this.body;
    // The client left before the stream began: its 'close' has passed.
    if (res.destroyed) {
      body.destroy();
      return Promise.resolve();
    }
    this.begin(res, this.status ?? routeStatus);
    if (!res.hasHeader('content-type')) res.type('application/octet-stream');
    return new Promise((resolve, reject) => {
      // The client left early: stop reading; its tasks run as for any close.
      const onClientGone = (): void => {
        body.destroy();
        resolve();
      };
      res.once('close', onClientGone);
      finished(body, { writable: false }, (error) => {
        res.off('close', onClientGone);
        if (error === undefined || error === null) return resolve();
        this.retract(res);
        reject(error);
      });
      body.pipe(res);
    });
  }
}

class FileResponse extends RouteResponse {
  constructor(
    readonly path: string,
    setup?: unknown,
  ) {
    super(setup);
  }

  send(res: Response, routeStatus: number): Promise<void> {
    this.begin(res, this.status ?? routeStatus);
    return new Promise((resolve, reject) => {
      res.sendFile(resolvePath(this.path), (error?: Error) => {
        // A client that left early counts as a closed connection.
        if (error === undefined || isAbort(error)) return resolve();
        this.retract(res);
        reject(error);
      });
    });
  }
}

function isAbort(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ECONNABORTED';
}

/**
 * A JSON response, with tasks to run after it.
 *
 * @example
 * return json({ registered: email }, new BackgroundTask(sendWelcome, email));
 */
export function json(body: unknown, setup?: ResponseSetup): RouteResponse {
  return new JsonResponse(body, setup);
}

/** A `text/plain` response. */
export function text(body: string, setup?: ResponseSetup): RouteResponse {
  assertString('body', body);
  return new TextResponse(body, 'text/plain; charset=utf-8', setup);
}

/** A `text/html` response. */
export function html(body: string, setup?: ResponseSetup): RouteResponse {
  assertString('body', body);
  return new TextResponse(body, 'text/html; charset=utf-8', setup);
}

/** A redirect, 302 unless `status` says otherwise. */
export function redirect(url: string, setup?: ResponseSetup): RouteResponse {
  assertString('url', url);
  return new RedirectResponse(url, setup);
}

/**
 * Pipes a readable stream to the client; the tasks run after its last chunk.
 *
 * @example
 * return stream(createReadStream(reportPath), {
 *   headers: { 'content-type': 'text/csv' },
 * });
 */
export function stream(body: Readable, setup?: ResponseSetup): RouteResponse {
  const candidate = body as Partial<Readable> | null | undefined;
  if (typeof candidate?.pipe !== 'function') {
    throw expectationError('body', 'a readable stream', body);
  }
  return new StreamResponse(body, setup);
}

/** Sends a file with `res.sendFile`; the tasks run after the file. */
export function file(path: string, setup?: ResponseSetup): RouteResponse {
  assertString('path', path);
  return new FileResponse(path, setup);
}

function assertString(name: string, value: unknown): void {
  if (typeof value !== 'string') {
    throw expectationError(name, 'a string', value);
  }
}
