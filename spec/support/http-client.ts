import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The port a listening server was given. */
export function portOf(server: http.Server): number {
  return (server.address() as AddressInfo).port;
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

/** Resolves once the server listens on a free loopback port. */
export function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(portOf(server)));
  });
}
