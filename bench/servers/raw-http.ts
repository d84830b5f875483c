import http from 'node:http';
import { body, listen } from './listen';

const payload = JSON.stringify(body);
const length = String(Buffer.byteLength(payload));

listen(
  http.createServer(function answer(_request, response) {
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': length,
    });
    response.end(payload);
  }),
);
