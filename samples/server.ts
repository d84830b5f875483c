import type { AddressInfo } from 'node:net';
import { closeGracefully } from '../index';
import { createSampleApp } from './app';

const port = Number(process.env.PORT ?? 3000);

const server = createSampleApp().listen(port, () => {
  const { port: bound } = server.address() as AddressInfo;
  console.log(`samples listening on http://localhost:${bound}`);
  console.log('try: curl localhost:%d/send-notification', bound);
});

// Finish the requests in flight and their tasks before going away.
process.once('SIGTERM', async () => {
  const { abandoned } = await closeGracefully(server, { timeout: 10_000 });
  if (abandoned.length > 0) console.log(`abandoned: ${abandoned.join(', ')}`);
  process.exit(0);
});
