import http from 'node:http';
import express from 'express';
import { routeCount } from './app-size';
import { body, listen } from './listen';

const app = express();
for (let index = 0; index < routeCount; index++) {
  app.get(`/r${index}`, (_request, response) => {
    response.json(body);
  });
}
listen(http.createServer(app));
