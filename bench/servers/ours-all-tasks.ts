import http from 'node:http';
import express from 'express';
import { library } from './library';
import { body, listen, noop } from './listen';

const { BackgroundTask, get, json } = library;

// One task from each source: the route, the handler and the response.
const app = express();
app.use(
  get('/', new BackgroundTask(noop), (_request, context) => {
    context.background.addTask(noop);
    return json(body, new BackgroundTask(noop));
  }),
);
listen(http.createServer(app));
