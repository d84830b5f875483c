import http, { type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListeningServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** A real server on a free local port, for tests that need the socket. */
export async function listen(
  listener: RequestListener,
): Promise<ListeningServer> {
  const server = http.createServer(listener);
  const port = await listenOnLoopback(server);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves with the free loopback port the server now listens on. */
export function listenOnLoopback(server: http.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export interface PlainResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One GET on loopback, with the whole body read. */
export function getOnce(
  port: number,
  path: string,
  agent: http.Agent | false = false,
): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export interface OpenRequest {
  /** Resolves when the response head arrives. */
  readonly response: Promise<IncomingMessage>;
  /** Closes the connection, as a client that gives up does. */
  abort(): void;
}

/** A GET on its own connection that the test can abandon at any point. */
export function startRequest(port: number, path: string): OpenRequest {
  const request = http.request({ host: '127.0.0.1', port, path, agent: false });
  // An abandoned request reports "socket hang up"; that is the point.
  request.on('error', () => {});
  const response = new Promise<IncomingMessage>((resolve) => {
    request.on('response', resolve);
  });
  request.end();
  return { response, abort: () => request.destroy() };
}

/** Resolves with the first chunk of a response body. */
export function firstChunk(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    response.once('data', (chunk: Buffer) => resolve(chunk));
  });
}

/** Resolves after the events already queued have run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Gives each test a way to start real servers, and closes them, with
 * their connections, after the test.
 */
export function serveDuringEachTest(): (
  listener: RequestListener,
) => Promise<ListeningServer> {
  const open: ListeningServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return async function serve(listener) {
    const server = await listen(listener);
    open.push(server);
    return server;
  };
}
