import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { library } from './library';
import { body, listen } from './listen';

const { BackgroundTask, get } = library;

async function sleepFiftyMilliseconds(): Promise<void> {
  await sleep(50);
}

const app = express();
app.use(get('/', new BackgroundTask(sleepFiftyMilliseconds), () => body));
listen(http.createServer(app));
