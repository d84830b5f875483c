import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import createDebug from 'debug';
import {
  assertKnownKeys,
  expectationError,
  isPlainObject,
} from './describe';
import { defaultRunner } from './runner';
import { assertDuration } from './settings';
import { beginShutdown, endShutdown } from './shutdown-signal';

const debug = createDebug('express-background-tasks:shutdown');

export interface CloseGracefullyOptions {
  /**
   * Milliseconds the whole shutdown may take, requests and tasks together.
   * @default 10000
   */
  timeout?: number;
}

export interface CloseGracefullyResult {
  /** Tasks that finished well while the server closed. */
  completed: number;
  /** Tasks that failed (timeouts included) while the server closed. */
  failed: number;
  /** Names of the tasks given up on when the timeout passed. */
  abandoned: string[];
  /** False when requests were still open at the timeout and were cut off. */
  requestsFinished: boolean;
}

/** The part of an `http` or `https` server that closing needs. */
export interface ClosableServer {
  close(callback?: (error?: Error) => void): unknown;
  closeIdleConnections?(): void;
  closeAllConnections?(): void;
  prependListener(
    event: 'request',
    listener: (req: IncomingMessage, res: ServerResponse) => void,
  ): unknown;
  off(
    event: 'request',
    listener: (req: IncomingMessage, res: ServerResponse) => void,
  ): unknown;
}

const defaultTimeout = 10_000;

/** How often connections that went idle while closing are closed. */
const idleSweepInterval = 50;

/**
 * Stops the server taking connections, lets the requests in flight finish,
 * then waits for their tasks; what is still unfinished at `timeout` is
 * reported to `onError` as abandoned. `shutdownSignal()` aborts meanwhile.
 *
 * @example
 * process.once('SIGTERM', async () => {
 *   await closeGracefully(server, { timeout: 10_000 });
 *   process.exit(0);
 * });
 */
export function closeGracefully(
  server: Server | ClosableServer,
  options: CloseGracefullyOptions = {},
): Promise<CloseGracefullyResult> {
  // Bad input throws here, not in the promise.
  assertServer(server);
  const timeout = readTimeout(options);
  beginShutdown();
  return closeAndDrain(server, timeout).finally(endShutdown);
}

async function closeAndDrain(
  server: ClosableServer,
  timeout: number,
): Promise<CloseGracefullyResult> {
  const runner = defaultRunner;
  const deadline = Date.now() + timeout;
  const before = runner.stats();

  const requestsFinished = await closeServer(server, timeout);
  debug('server closed; requests finished: %o', requestsFinished);

  const remaining = Math.max(1, deadline - Date.now());
  const { pending } = await runner.drain({
    timeout: timeout === Infinity ? Infinity : remaining,
  });
  const abandoned = pending === 0 ? [] : runner.abandon();
  debug('tasks drained; abandoned: %o', abandoned);

  const after = runner.stats();
  return {
    completed: after.completed - before.completed,
    failed: after.failed - before.failed,
    abandoned,
    requestsFinished,
  };
}

/**
 * Closes the server and resolves once every connection has ended (true),
 * or once `timeout` passed and the rest were cut off (false).
 */
function closeServer(server: ClosableServer, timeout: number): Promise<boolean> {
  // A request that comes on an open keep-alive connection is still served,
  // but its connection closes after the response.
  const lastOnConnection = (
    _req: IncomingMessage,
    res: ServerResponse,
  ): void => {
    res.shouldKeepAlive = false;
  };
  server.prependListener('request', lastOnConnection);
  const sweep = setInterval(function closeIdle() {
    server.closeIdleConnections?.();
  }, idleSweepInterval);
  sweep.unref();

  return new Promise((resolve) => {
    const done = (finished: boolean): void => {
      clearInterval(sweep);
      clearTimeout(timer);
      server.off('request', lastOnConnection);
      resolve(finished);
    };
    const timer =
      timeout === Infinity
        ? undefined
        : setTimeout(() => {
            server.closeAllConnections?.();
            done(false);
          }, timeout);
    // A server that was not listening has nothing to wait for.
    server.close(() => done(true));
    server.closeIdleConnections?.();
  });
}

function assertServer(server: unknown): asserts server is ClosableServer {
  const candidate = server as Partial<ClosableServer> | null | undefined;
  const valid =
    typeof candidate?.close === 'function' &&
    typeof candidate.prependListener === 'function' &&
    typeof candidate.off === 'function';
  if (!valid) throw expectationError('server', 'an HTTP server', server);
}

function readTimeout(options: unknown): number {
  if (!isPlainObject(options)) {
    throw expectationError('options', 'an object', options);
  }
  assertKnownKeys('options', options, ['timeout']);
  const timeout: unknown = options.timeout ?? defaultTimeout;
  assertDuration('timeout', timeout);
  return timeout;
}
