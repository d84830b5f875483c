import http from 'node:http';
import express from 'express';
import { library } from './library';
import { routeCount } from './app-size';
import { body, listen, noop } from './listen';

const { BackgroundTask, get } = library;

// Each route is its own router, mounted one by one on the app.
const app = express();
for (let index = 0; index < routeCount; index++) {
  app.use(get(`/r${index}`, new BackgroundTask(noop), () => body));
}
listen(http.createServer(app));
