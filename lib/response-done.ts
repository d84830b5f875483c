import { AsyncResource } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';

/**
 * Calls `callback` once, in the async context of the caller, when the
 * response has finished or its connection closed before that.
 *
 * Node's responses emit both events themselves ('close' also follows
 * 'finish'), so unlike on-finished nothing is attached to the socket: a
 * request then costs two listeners instead of a dozen.
 */
export function whenResponseDone(
  res: ServerResponse,
  callback: () => void,
): void {
  const resource = new AsyncResource('express-background-tasks');
  let called = false;
  const done = (): void => {
    if (called) return;
    called = true;
    resource.runInAsyncScope(callback);
  };

  if (res.writableFinished || res.destroyed) {
    process.nextTick(done);
    return;
  }
  res.on('finish', done);
  res.on('close', done);
}
