import type { Request, RequestHandler, Response } from 'express';
import { type Background, assertBackground, isBackground } from './background';
import {
  assertFunction,
  assertKnownKeys,
  expectationError,
  isPlainObject,
} from './describe';
import type { PathParams, RoutePath } from './path-params';
import { assertStatus } from './status';
import type { BackgroundTasks } from './task-list';

/** What a handler gets besides the request. */
export interface RouteContext {
  readonly res: Response;
  /** This request's tasks; it starts with the route's own. */
  readonly background: BackgroundTasks;
}

export type RouteHandler<Path extends RoutePath = string> = (
  req: Request<PathParams<Path>>,
  ctx: RouteContext,
) => unknown;

export interface RouteOptions {
  /** Tasks to run after every response of this route. */
  background?: Background;
  /** The status of a response that does not set its own. */
  status?: number;
  /** Runs before the handler, for this route only. */
  middleware?: RequestHandler[];
}

export type RouterMethod =
  | 'get'
  | 'post'
  | 'put'
  | 'patch'
  | 'delete'
  | 'options'
  | 'head'
  | 'all';

export interface RouteDefinition {
  readonly method: RouterMethod;
  readonly path: RoutePath;
  readonly handler: RouteHandler<RoutePath>;
  readonly background: Background | undefined;
  /** The status of a response that does not set its own. */
  readonly status: number;
  /** The status `options` set, if any: it also applies to empty bodies. */
  readonly chosenStatus: number | undefined;
  readonly middleware: readonly RequestHandler[];
}

/** Checks a helper's arguments and turns them into one definition. */
export function defineRoute(
  method: RouterMethod,
  defaultStatus: number,
  args: readonly unknown[],
): RouteDefinition {
  if (args.length < 2 || args.length > 3) {
    throw new TypeError(
      `Expected 2 or 3 arguments (path, background or options, handler), ` +
        `got ${args.length}`,
    );
  }
  const [path, setup, handler] =
    args.length === 2 ? [args[0], undefined, args[1]] : args;
  assertPath(path);
  assertFunction('handler', handler);
  const options = readRouteOptions(setup);
  return {
    method,
    path,
    handler: handler as RouteHandler<RoutePath>,
    background: options.background,
    status: options.status ?? defaultStatus,
    chosenStatus: options.status,
    middleware: options.middleware ?? [],
  };
}

function assertPath(path: unknown): asserts path is RoutePath {
  if (typeof path !== 'string' && !(path instanceof RegExp)) {
    throw expectationError('path', 'a string or RegExp', path);
  }
}

function readRouteOptions(setup: unknown): RouteOptions {
  if (setup === undefined) return {};
  if (isBackground(setup)) return { background: setup };
  if (!isPlainObject(setup)) {
    const hint =
      typeof setup === 'function'
        ? '; route middleware goes in `options.middleware`'
        : '';
    const error = expectationError(
      'background',
      'a BackgroundTask, BackgroundTasks or route options',
      setup,
    );
    error.message += hint;
    throw error;
  }
  assertKnownKeys('options', setup, ['background', 'status', 'middleware']);
  const { background, status, middleware } = setup;
  if (background !== undefined) assertBackground('background', background);
  if (status !== undefined) assertStatus('status', status);
  if (middleware !== undefined) assertMiddleware(middleware);
  return setup as RouteOptions;
}

function assertMiddleware(middleware: unknown): void {
  if (!Array.isArray(middleware)) {
    throw expectationError('middleware', 'an array of functions', middleware);
  }
  middleware.forEach((each: unknown, index) => {
    assertFunction(`middleware[${index}]`, each);
  });
}
