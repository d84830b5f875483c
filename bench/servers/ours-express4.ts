import http from 'node:http';
import express from 'express4';
import { library } from './library';
import { body, listen, noop } from './listen';

const { BackgroundTask, get } = library;

const app = express();
app.use(get('/', new BackgroundTask(noop), () => body));
listen(http.createServer(app));
