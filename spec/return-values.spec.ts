import { expect } from 'chai';
import type { Router } from 'express';
import request from 'supertest';
import {
  BackgroundTask,
  del,
  drain,
  get,
  json,
  patch,
  post,
  put,
  text,
  type RouteHandler,
} from '../index';
import { appWith, recordTaskErrors } from './support/app';

function routeReturning(value: unknown): Router {
  return get('/x', () => value);
}

describe('what a handler returns', () => {
  recordTaskErrors();

  describe('when it returns a response made by a helper', () => {
    it('sends it as the helper says', async () => {
      const app = appWith(
        get('/x', () => text('made by hand', { status: 202 })),
      );

      const response = await request(app).get('/x');

      expect(response.status).to.equal(202);
      expect(response.headers['content-type']).to.equal(
        'text/plain; charset=utf-8',
      );
      expect(response.text).to.equal('made by hand');
    });
  });

  describe('when it returns a JSON value', () => {
    const values: [string, unknown, string][] = [
      ['an object', { id: 7, tags: ['a'] }, '{"id":7,"tags":["a"]}'],
      ['an array', [1, 'two', null], '[1,"two",null]'],
      ['a string', 'hi', '"hi"'],
      ['an empty string', '', '""'],
      ['a number', 42, '42'],
      ['zero', 0, '0'],
      ['true', true, 'true'],
      ['false', false, 'false'],
      ['null', null, 'null'],
    ];

    for (const [what, value, body] of values) {
      it(`sends ${what} as JSON`, async () => {
        const response = await request(appWith(routeReturning(value))).get('/x');

        expect(response.status).to.equal(200);
        expect(response.headers['content-type']).to.equal(
          'application/json; charset=utf-8',
        );
        expect(response.text).to.equal(body);
      });
    }
  });

  describe('when it returns bytes', () => {
    it('sends a Buffer as application/octet-stream', async () => {
      const bytes = Buffer.from([0, 1, 2, 254, 255]);

      const response = await request(appWith(routeReturning(bytes)))
        .get('/x')
        .responseType('blob');

      expect(response.status).to.equal(200);
      expect(response.headers['content-type']).to.equal(
        'application/octet-stream',
      );
      expect(response.body).to.deep.equal(bytes);
    });

    it('sends only the bytes a Uint8Array views', async () => {
      const whole = new Uint8Array([9, 9, 1, 2, 3, 9]);
      const view = whole.subarray(2, 5);

      const response = await request(appWith(routeReturning(view)))
        .get('/x')
        .responseType('blob');

      expect(response.headers['content-type']).to.equal(
        'application/octet-stream',
      );
      expect(response.body).to.deep.equal(Buffer.from([1, 2, 3]));
    });
  });

  describe('when it returns undefined and sent nothing', () => {
    it('answers 204 with an empty body', async () => {
      const app = appWith(get('/x', () => undefined));

      const response = await request(app).get('/x');

      expect(response.status).to.equal(204);
      expect(response.text).to.equal('');
    });

    it('answers 204 for an async handler too', async () => {
      const app = appWith(post('/x', async () => undefined));

      const response = await request(app).post('/x');

      expect(response.status).to.equal(204);
      expect(response.text).to.equal('');
    });

    it('answers with the route status when options set one', async () => {
      const app = appWith(get('/x', { status: 202 }, () => undefined));

      const response = await request(app).get('/x');

      expect(response.status).to.equal(202);
      expect(response.text).to.equal('');
    });
  });

  describe('when it wrote to ctx.res itself', () => {
    const writers: [string, RouteHandler][] = [
      [
        'and returns nothing',
        (_req, ctx) => {
          ctx.res.status(202).type('text').send('written by hand');
        },
      ],
      [
        'and returns a value anyway',
        (_req, ctx) => {
          ctx.res.status(202).type('text').send('written by hand');
          return { ignored: true };
        },
      ],
      [
        'from an async handler',
        async (_req, ctx) => {
          await Promise.resolve();
          ctx.res.status(202).type('text').send('written by hand');
          return json({ ignored: true });
        },
      ],
    ];

    for (const [how, writer] of writers) {
      it(`sends nothing more, ${how}, and runs the tasks`, async () => {
        const ran: string[] = [];
        function record(label: string): void {
          ran.push(label);
        }
        const app = appWith(
          get('/x', new BackgroundTask(record, 'route'), (req, ctx) => {
            ctx.background.addTask(record, 'handler');
            return writer(req, ctx);
          }),
        );

        const response = await request(app).get('/x');
        await drain();

        expect(response.status).to.equal(202);
        expect(response.text).to.equal('written by hand');
        expect(ran).to.deep.equal(['route', 'handler']);
      });
    }
  });

  describe('when it returns what cannot be sent', () => {
    const unsendable: [string, unknown][] = [
      ['a function', function notAResponse() {}],
      ['a symbol', Symbol('nope')],
      ['a bigint', 10n],
    ];

    for (const [what, value] of unsendable) {
      it(`answers 500 for ${what} and runs no tasks`, async () => {
        const ran: string[] = [];
        function record(label: string): void {
          ran.push(label);
        }
        const app = appWith(
          get('/x', new BackgroundTask(record, 'route'), (_req, ctx) => {
            ctx.background.addTask(record, 'handler');
            return value;
          }),
        );

        const response = await request(app).get('/x');
        await drain();

        expect(response.status).to.equal(500);
        expect(response.body)
          .to.have.property('error')
          .that.matches(/^Expected the handler to return a response/);
        expect(ran).to.deep.equal([]);
      });
    }

    it('answers 500 for an object JSON cannot hold, and runs no tasks', async () => {
      const ran: string[] = [];
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const app = appWith(
        get('/x', (_req, ctx) => {
          ctx.background.addTask(function record() {
            ran.push('handler');
          });
          return circular;
        }),
      );

      const response = await request(app).get('/x');
      await drain();

      expect(response.status).to.equal(500);
      expect(response.body).to.have.property('error').that.matches(/circular/i);
      expect(ran).to.deep.equal([]);
    });
  });
});

describe('the status of a response', () => {
  recordTaskErrors();

  const helpers = [
    { name: 'get', helper: get, method: 'get', status: 200 },
    { name: 'post', helper: post, method: 'post', status: 201 },
    { name: 'put', helper: put, method: 'put', status: 200 },
    { name: 'patch', helper: patch, method: 'patch', status: 200 },
    { name: 'del', helper: del, method: 'delete', status: 200 },
  ] as const;

  for (const { name, helper, method, status } of helpers) {
    it(`is ${status} by default for ${name}`, async () => {
      const app = appWith(helper('/x', () => ({ ok: true })));

      const response = await request(app)[method]('/x');

      expect(response.status).to.equal(status);
      expect(response.body).to.deep.equal({ ok: true });
    });
  }

  it('is 201 for a helper response of a post route that sets none', async () => {
    const app = appWith(post('/x', () => json({ created: true })));

    await request(app).post('/x').expect(201, { created: true });
  });

  it('is 201 for bytes returned by a post route', async () => {
    const app = appWith(post('/x', () => Buffer.from('made')));

    const response = await request(app).post('/x');

    expect(response.status).to.equal(201);
  });

  it('is the one options.status sets, over the default', async () => {
    const app = appWith(
      get('/get', { status: 202 }, () => ({ ok: true })),
      post('/post', { status: 200 }, () => ({ ok: true })),
    );

    await request(app).get('/get').expect(202);
    await request(app).post('/post').expect(200);
  });

  it("is the helper's own status, over options.status and the default", async () => {
    const app = appWith(
      post('/chosen', { status: 202 }, () => json({ ok: true }, { status: 203 })),
      post('/default', () => json({ ok: true }, { status: 200 })),
    );

    await request(app).post('/chosen').expect(203);
    await request(app).post('/default').expect(200);
  });

  it('is 204 when a post route returns nothing and sets no status', async () => {
    const app = appWith(post('/x', () => undefined));

    await request(app).post('/x').expect(204);
  });
});
