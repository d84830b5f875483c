import type { Response } from 'express';
import { describeValue } from './describe';
import type { RouteDefinition } from './route-definition';
import { json, RouteResponse } from './responses';

class BytesResponse extends RouteResponse {
  constructor(readonly body: Uint8Array) {
    super(undefined);
  }

  send(res: Response, routeStatus: number): void {
    const bytes = Buffer.isBuffer(this.body)
      ? this.body
      : Buffer.from(this.body.buffer, this.body.byteOffset, this.body.length);
    res.status(routeStatus).type('application/octet-stream').send(bytes);
  }
}

class EmptyResponse extends RouteResponse {
  constructor(readonly fixedStatus?: number) {
    super(undefined);
  }

  send(res: Response, routeStatus: number): void {
    res.status(this.fixedStatus ?? routeStatus).end();
  }
}

const noContent = new EmptyResponse(204);
const emptyAtRouteStatus = new EmptyResponse();

/** Turns what a handler returned into the response to send. */
export function toResponse(
  returned: unknown,
  route: RouteDefinition,
): RouteResponse {
  if (returned instanceof RouteResponse) return returned;
  if (returned === undefined) {
    // A status the route chose on purpose wins over 204.
    return route.chosenStatus === undefined ? noContent : emptyAtRouteStatus;
  }
  if (returned instanceof Uint8Array) return new BytesResponse(returned);
  const type = typeof returned;
  if (type === 'function' || type === 'symbol' || type === 'bigint') {
    throw new TypeError(
      'Expected the handler to return a response, a JSON value, bytes ' +
        `or undefined, got ${describeValue(returned)}`,
    );
  }
  return json(returned);
}
