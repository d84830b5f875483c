import http from 'node:http';

/** The body every benchmark server answers with. */
export const body = { message: 'ok' };

/** A task that does nothing, so only the cost of running it is measured. */
export function noop(): void {}

/**
 * Serves on a free loopback port and tells the driver which one on stdout.
 * @example
 * listen(http.createServer(app))
 */
export function listen(server: http.Server): void {
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', function reportPort() {
    const address = server.address();
    if (address === null || typeof address === 'string') {
      throw new Error('Expected a TCP address, got ' + String(address));
    }
    process.stdout.write(JSON.stringify({ port: address.port }) + '\n');
  });

  // The driver ends a server by closing its stdin, so no server outlives it.
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}
