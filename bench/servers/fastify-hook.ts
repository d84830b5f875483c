import Fastify from 'fastify';
import { body, listen, noop } from './listen';

const app = Fastify({ logger: false });
app.addHook('onResponse', (_request, _reply, done) => {
  setImmediate(noop);
  done();
});
app.get('/', async () => body);
app.ready().then(
  () => listen(app.server),
  (error: unknown) => {
    throw error;
  },
);
