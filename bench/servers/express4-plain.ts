import http from 'node:http';
import express from 'express4';
import { body, listen } from './listen';

const app = express();
app.get('/', (_request, response) => {
  response.json(body);
});
listen(http.createServer(app));
