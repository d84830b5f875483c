// Type tests: `npm test` compiles this file; a wrong type fails the build.
import http from 'node:http';
import https from 'node:https';
import {
  closeGracefully,
  type CloseGracefullyResult,
  configure,
  shutdownSignal,
  taskSignal,
} from '../../index';
import { type Equal, expectTrue } from './equal';

configure({ concurrency: 8, maxPending: Infinity, timeout: 30_000 });
configure({ timeout: undefined });
// @ts-expect-error: a limit is a number
configure({ concurrency: '8' });
// @ts-expect-error: an option that does not exist
configure({ retries: 3 });

expectTrue<Equal<ReturnType<typeof taskSignal>, AbortSignal>>();
expectTrue<Equal<ReturnType<typeof shutdownSignal>, AbortSignal>>();

async function shutDown(): Promise<void> {
  const result = await closeGracefully(http.createServer(), { timeout: 5000 });
  expectTrue<Equal<typeof result, CloseGracefullyResult>>();
  expectTrue<Equal<typeof result.abandoned, string[]>>();
  await closeGracefully(https.createServer());
  // @ts-expect-error: not a server
  await closeGracefully({ port: 3000 });
  // @ts-expect-error: the timeout is in milliseconds
  await closeGracefully(http.createServer(), { timeout: '5s' });
}
void shutDown;
