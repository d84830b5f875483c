import { createSampleApp } from './app';

const port = Number(process.env.PORT ?? 3000);

const server = createSampleApp().listen(port, () => {
  console.log(`samples listening on http://localhost:${port}`);
  console.log('try: curl localhost:%d/send-notification', port);
});

process.on('SIGTERM', () => {
  server.close();
});
