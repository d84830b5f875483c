import http from 'node:http';
import express from 'express';
import { library } from './library';
import { routeCount } from './app-size';
import { body, listen, noop } from './listen';

const { BackgroundTask, get, routes } = library;

// The same routes, combined by routes(...) into one router.
const app = express();
const routers = [];
for (let index = 0; index < routeCount; index++) {
  routers.push(get(`/r${index}`, new BackgroundTask(noop), () => body));
}
app.use(routes(...routers));
listen(http.createServer(app));
