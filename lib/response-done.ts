import type { ServerResponse } from 'node:http';

/**
 * Calls `callback` once when the response is done: Node emits 'close' on
 * a response after its 'finish', or alone when the connection closed
 * before that.
 *
 * One listener on the response, none on the socket (on-finished adds and
 * removes a dozen per request), and few reads of `res`: after Express
 * re-prototypes it, each one is a slow lookup.
 */
export function whenResponseDone(
  res: ServerResponse,
  callback: () => void,
): void {
  if (res.closed) {
    process.nextTick(callback);
    return;
  }
  res.once('close', callback);
}
