import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AfterResponse } from './after-response';
import { isPromiseLike } from './promise-like';
import type { RouteDefinition } from './route-definition';
import { RequestContext } from './route-context';
import { RouteResponse } from './responses';
import { toResponse } from './return-value';

/**
 * The Express handler behind one route: it runs the user's handler,
 * turns what it returns into a response, and hands the request's tasks
 * over to run once that response is done.
 */
export function createRouteHandler(route: RouteDefinition): RequestHandler {
  return function backgroundRoute(req, res, next) {
    const after = new AfterResponse(res);
    const ctx = new RequestContext(res, route);
    let returned: unknown;
    try {
      returned = route.handler(req as Request<never>, ctx);
    } catch (error) {
      fail(after, next, error);
      return;
    }
    if (!isPromiseLike(returned)) {
      respond(route, res, next, ctx, after, returned);
      return;
    }
    returned.then(
      (value) => respond(route, res, next, ctx, after, value),
      (error: unknown) => fail(after, next, error),
    );
  };
}

function respond(
  route: RouteDefinition,
  res: Response,
  next: NextFunction,
  ctx: RequestContext,
  after: AfterResponse,
  returned: unknown,
): void {
  const carried =
    returned instanceof RouteResponse ? returned.background : undefined;
  const background = ctx.backgroundWith(carried);

  // The handler answered by itself: send nothing more.
  if (res.headersSent) {
    after.commit(background);
    return;
  }
  let sending: void | Promise<void>;
  try {
    sending = toResponse(returned, route).send(res, route.status);
  } catch (error) {
    fail(after, next, error);
    return;
  }
  if (sending === undefined) {
    after.commit(background);
    return;
  }
  sending.then(
    () => after.commit(background),
    (error: unknown) => fail(after, next, error),
  );
}

/** A handler or a send that failed: no tasks, and Express hears why. */
function fail(after: AfterResponse, next: NextFunction, error: unknown): void {
  after.cancel();
  next(error);
}
