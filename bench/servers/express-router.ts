import http from 'node:http';
import express from 'express';
import { body, listen } from './listen';

// The floor for a route helper that returns a router: one extra router.
const app = express();
const router = express.Router();
router.get('/', (_request, response) => {
  response.json(body);
});
app.use(router);
listen(http.createServer(app));
