import http from 'node:http';
import express from 'express';
import { body, listen } from './listen';

const app = express();
app.get('/', (_request, response) => {
  response.json(body);
});
listen(http.createServer(app));
