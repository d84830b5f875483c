import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import {
  all,
  BackgroundTask,
  del,
  drain,
  get,
  head,
  json,
  options,
  patch,
  post,
  put,
  routes,
  type RouteHelper,
} from '../index';
import { appWith, recordTaskErrors } from './support/app';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options' | 'head';

interface HelperCase {
  name: string;
  helper: RouteHelper;
  answers: readonly Method[];
  ignores: readonly Method[];
  status: number;
}

const helpers: HelperCase[] = [
  { name: 'get', helper: get, answers: ['get'], ignores: ['post'], status: 200 },
  { name: 'post', helper: post, answers: ['post'], ignores: ['get'], status: 201 },
  { name: 'put', helper: put, answers: ['put'], ignores: ['post'], status: 200 },
  { name: 'patch', helper: patch, answers: ['patch'], ignores: ['put'], status: 200 },
  { name: 'del', helper: del, answers: ['delete'], ignores: ['get'], status: 200 },
  {
    name: 'options',
    helper: options,
    answers: ['options'],
    ignores: ['get'],
    status: 200,
  },
  { name: 'head', helper: head, answers: ['head'], ignores: ['get'], status: 200 },
  {
    name: 'all',
    helper: all,
    answers: ['get', 'post', 'put', 'patch', 'delete', 'options', 'head'],
    ignores: [],
    status: 200,
  },
];

for (const { name, helper, answers, ignores, status } of helpers) {
  describe(`${name}(path, background, handler)`, () => {
    recordTaskErrors();

    function appAnswering(ran: string[]): express.Express {
      const task = new BackgroundTask(function record(method: string) {
        ran.push(method);
      }, name);
      return appWith(
        helper('/thing/:id', task, (req) =>
          json(
            { method: req.method, id: req.params.id },
            { headers: { 'x-method': req.method } },
          ),
        ),
      );
    }

    for (const method of answers) {
      const methodName = method.toUpperCase();

      it(`answers ${methodName} with ${status} and runs the route's task`, async () => {
        const ran: string[] = [];

        const response = await request(appAnswering(ran))[method]('/thing/7');
        await drain();

        expect(response.status).to.equal(status);
        expect(response.headers['x-method']).to.equal(methodName);
        if (method !== 'head') {
          expect(response.body).to.deep.equal({ method: methodName, id: '7' });
        }
        expect(ran).to.deep.equal([name]);
      });
    }

    for (const method of ignores) {
      it(`leaves ${method.toUpperCase()} to the routes after it`, async () => {
        const ran: string[] = [];

        const response = await request(appAnswering(ran))[method]('/thing/7');
        await drain();

        expect(response.status).to.equal(404);
        expect(ran).to.deep.equal([]);
      });
    }
  });
}

describe('routes(...routers)', () => {
  recordTaskErrors();

  it('answers each route it holds, under the path it is mounted at', async () => {
    const app = express();
    app.use(
      '/api',
      routes(
        get('/users/:id', (req) => ({ id: req.params.id })),
        post('/users', () => ({ created: true })),
      ),
    );

    await request(app).get('/api/users/3').expect(200, { id: '3' });
    await request(app).post('/api/users').expect(201, { created: true });
    await request(app).get('/users/3').expect(404);
  });

  it('mounts a plain Express app given among its routers', async () => {
    const plain = express();
    plain.get('/plain', (_req, res) => {
      res.json({ plain: true });
    });
    const app = express();
    app.use('/api', routes(get('/own', () => ({ own: true })), plain));

    await request(app).get('/api/own').expect(200, { own: true });
    await request(app).get('/api/plain').expect(200, { plain: true });
  });
});
