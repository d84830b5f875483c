import { expect } from 'chai';
import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { BackgroundTask, drain, get, post, routes } from '../index';
import { appWith, recordTaskErrors } from './support/app';

describe('routes(...routers)', () => {
  recordTaskErrors();

  it('serves every route it was given, under a prefix', async () => {
    const app = express();
    app.use('/api', routes(get('/a', () => 'a'), post('/b', () => 'b')));
    await request(app).get('/api/a').expect(200, '"a"');
    await request(app).post('/api/b').expect(201, '"b"');
  });

  it('lays its routes side by side in one router', () => {
    const combined = routes(get('/a', () => 1), get('/b', () => 2));
    expect(combined.stack).to.have.length(2);
  });

  it('flattens routers made by routes() itself', async () => {
    const inner = routes(get('/a', () => 'a'), get('/b', () => 'b'));
    const combined = routes(inner, get('/c', () => 'c'));
    expect(combined.stack).to.have.length(3);
    await request(appWith(combined)).get('/b').expect(200, '"b"');
  });

  it('keeps the first matching route first', async () => {
    const app = appWith(routes(get('/x', () => 'first'), get('/x', () => 'second')));
    await request(app).get('/x').expect(200, '"first"');
  });

  it('mounts routers of the application as they are', async () => {
    const own = express.Router();
    own.get('/own', (_req, res) => {
      res.send('own');
    });
    const app = appWith(routes(get('/a', () => 'a'), own));
    await request(app).get('/own').expect(200, 'own');
    await request(app).get('/a').expect(200, '"a"');
  });

  it('keeps what the application added to one of our routers', async () => {
    const route = get('/guarded', () => 'inside');
    route.use((_req, res) => {
      res.status(418).send('added');
    });
    const app = appWith(routes(route));
    await request(app).get('/other').expect(418, 'added');
  });

  it('runs each route’s tasks after its responses', async () => {
    const seen: string[] = [];
    const app = appWith(
      routes(
        get('/a', new BackgroundTask((name: string) => seen.push(name), 'a'), () => 1),
        get('/b', new BackgroundTask((name: string) => seen.push(name), 'b'), () => 2),
      ),
    );
    await request(app).get('/b');
    await request(app).get('/a');
    await drain();
    expect(seen).to.deep.equal(['b', 'a']);
  });

  it('throws a TypeError for something that is no router', () => {
    expect(() => routes(get('/a', () => 1), 'nope' as never)).to.throw(
      TypeError,
      'Expected `routers[1]` to be a router, got `"nope"` (string)',
    );
  });
});

describe('get(path, { middleware }, handler)', () => {
  recordTaskErrors();

  const stamp: RequestHandler = (req, _res, next) => {
    req.headers['x-stamped'] = 'yes';
    next();
  };

  it('runs the middleware before the handler', async () => {
    const app = appWith(
      get('/m', { middleware: [stamp] }, (req) => req.headers['x-stamped']),
    );
    await request(app).get('/m').expect(200, '"yes"');
  });

  it('runs it for that route only', async () => {
    const app = appWith(
      get('/with', { middleware: [stamp] }, () => 'with'),
      get('/without', (req) => req.headers['x-stamped'] ?? 'none'),
    );
    await request(app).get('/without').expect(200, '"none"');
  });

  it('lets the middleware answer instead, and no task runs', async () => {
    let runs = 0;
    const deny: RequestHandler = (_req, res) => {
      res.status(401).json({ error: 'denied' });
    };
    const app = appWith(
      get(
        '/private',
        { middleware: [deny], background: new BackgroundTask(() => runs++) },
        () => 'secret',
      ),
    );
    await request(app).get('/private').expect(401);
    await drain();
    expect(runs).to.equal(0);
  });
});
