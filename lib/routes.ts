import createDebug from 'debug';
import { Router, type RequestHandler } from 'express';
import type { Background } from './background';
import { expectationError } from './describe';
import type { RoutePath } from './path-params';
import {
  defineRoute,
  type RouteDefinition,
  type RouteHandler,
  type RouteOptions,
  type RouterMethod,
} from './route-definition';
import { createRouteHandler } from './route-handler';

const debug = createDebug('express-background-tasks:routes');

/** A route helper: `get`, `post` and the others share this shape. */
export interface RouteHelper {
  <Path extends RoutePath>(path: Path, handler: RouteHandler<Path>): Router;
  <Path extends RoutePath>(
    path: Path,
    setup: Background | RouteOptions | undefined,
    handler: RouteHandler<Path>,
  ): Router;
}

/** What a router made by us is built from, so `routes()` can flatten it. */
type RouterPart = RouteDefinition | RequestHandler;
const parts = Symbol('express-background-tasks.parts');
interface Blueprint {
  readonly parts: readonly RouterPart[];
  /** The router's stack length when built: more means the user added some. */
  readonly layers: number;
}
type OwnRouter = Router & { [parts]?: Blueprint };

function routeHelper(method: RouterMethod, defaultStatus: number): RouteHelper {
  return function defineRouter(...args: unknown[]): Router {
    const route = defineRoute(method, defaultStatus, args);
    debug('%s %s', method.toUpperCase(), route.path);
    return buildRouter([route]);
  };
}

function buildRouter(routerParts: readonly RouterPart[]): Router {
  const router: OwnRouter = Router();
  for (const part of routerParts) {
    if (typeof part === 'function') {
      router.use(part);
      continue;
    }
    const handler = createRouteHandler(part);
    // drain() counts a request from the moment its handler starts, so a
    // request still in this route's middleware is not waited for yet.
    // Counting it earlier needs a way to learn that middleware answered
    // without calling next(); until then, the gap is documented.
    router[part.method](part.path, ...part.middleware, handler);
  }
  router[parts] = { parts: routerParts, layers: router.stack.length };
  return router;
}

/**
 * `GET` route; its router is ready for `app.use`.
 *
 * @example
 * app.use(get('/users/:id', (req) => findUser(req.params.id)));
 */
export const get = routeHelper('get', 200);
/** `POST` route; responds 201 unless told otherwise. */
export const post = routeHelper('post', 201);
/** `PUT` route. */
export const put = routeHelper('put', 200);
/** `PATCH` route. */
export const patch = routeHelper('patch', 200);
/** `DELETE` route (`delete` is a reserved word). */
export const del = routeHelper('delete', 200);
/** `OPTIONS` route. */
export const options = routeHelper('options', 200);
/** `HEAD` route. */
export const head = routeHelper('head', 200);
/** A route for every method. */
export const all = routeHelper('all', 200);

/**
 * One router made of several, in order. Routes made by the helpers are
 * laid side by side in it, so a request does not walk a router per route.
 *
 * @example
 * app.use('/api', routes(listUsers, createUser, deleteUser));
 */
export function routes(...routers: Router[]): Router {
  const combined = routers.flatMap((router, index): RouterPart[] => {
    if (typeof router !== 'function') {
      throw expectationError(`routers[${index}]`, 'a router', router);
    }
    const blueprint = (router as OwnRouter)[parts];
    // An Express app has no `stack` of its own: it is mounted as it is.
    const untouched =
      blueprint !== undefined && blueprint.layers === router.stack?.length;
    return untouched ? [...blueprint.parts] : [router];
  });
  return buildRouter(combined);
}
