import http from 'node:http';
import express from 'express';
import { body, listen, noop } from './listen';

// What an app without the library writes by hand to run work after the response.
const app = express();
app.get('/', (_request, response) => {
  response.on('finish', () => setImmediate(noop));
  response.json(body);
});
listen(http.createServer(app));
