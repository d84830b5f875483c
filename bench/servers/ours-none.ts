import http from 'node:http';
import express from 'express';
import { library } from './library';
import { body, listen } from './listen';

const { get } = library;

const app = express();
app.use(get('/', () => body));
listen(http.createServer(app));
