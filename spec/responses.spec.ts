import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import express, { type ErrorRequestHandler, type Router } from 'express';
import request from 'supertest';
import {
  BackgroundTask,
  BackgroundTasks,
  drain,
  file,
  get,
  html,
  json,
  redirect,
  runAfterResponse,
  stream,
  text,
  type ResponseSetup,
  type RouteResponse,
} from '../index';
import { appWith, deferred, recordTaskErrors } from './support/app';
import {
  firstChunk,
  nextTurn,
  serveDuringEachTest,
  startRequest,
} from './support/server';

const folder = mkdtempSync(join(tmpdir(), 'express-background-tasks-'));
const notePath = join(folder, 'note.txt');
writeFileSync(notePath, 'a note on disk\n');
after(() => rmSync(folder, { recursive: true, force: true }));

/** Everything left of a response body, as text. */
function restOf(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      body += chunk;
    });
    response.on('end', () => resolve(body));
    response.on('error', reject);
  });
}

/** An app whose error middleware notes each error and answers its status. */
function appNotingErrors(seen: unknown[], ...routers: Router[]): express.Express {
  const app = express();
  for (const router of routers) app.use(router);
  const answerError: ErrorRequestHandler = (error: Error, _req, res, _next) => {
    seen.push(error);
    // Part of the body went out: all that is left is to cut the connection.
    if (res.headersSent) return res.destroy();
    const { status } = error as Error & { status?: number };
    res.status(status ?? 500).json({ error: error.message });
  };
  app.use(answerError);
  return app;
}

interface HelperCase {
  name: string;
  make(setup?: ResponseSetup): RouteResponse;
  status: number;
  chosenStatus: number;
  contentType: string;
  check(response: request.Response): void;
}

const helpers: HelperCase[] = [
  {
    name: 'json(body, setup)',
    make: (setup) => json({ id: 7 }, setup),
    status: 200,
    chosenStatus: 203,
    contentType: 'application/json; charset=utf-8',
    check: (response) => expect(response.body).to.deep.equal({ id: 7 }),
  },
  {
    name: 'text(body, setup)',
    make: (setup) => text('plain words', setup),
    status: 200,
    chosenStatus: 203,
    contentType: 'text/plain; charset=utf-8',
    check: (response) => expect(response.text).to.equal('plain words'),
  },
  {
    name: 'html(body, setup)',
    make: (setup) => html('<p>hello</p>', setup),
    status: 200,
    chosenStatus: 203,
    contentType: 'text/html; charset=utf-8',
    check: (response) => expect(response.text).to.equal('<p>hello</p>'),
  },
  {
    name: 'redirect(url, setup)',
    make: (setup) => redirect('/elsewhere', setup),
    status: 302,
    chosenStatus: 301,
    contentType: 'text/plain; charset=utf-8',
    check: (response) =>
      expect(response.headers.location).to.equal('/elsewhere'),
  },
  {
    name: 'stream(readable, setup)',
    make: (setup) => stream(Readable.from(['streamed ', 'body']), setup),
    status: 200,
    chosenStatus: 203,
    contentType: 'application/octet-stream',
    check: (response) =>
      expect(String(response.body)).to.equal('streamed body'),
  },
  {
    name: 'file(path, setup)',
    make: (setup) => file(notePath, setup),
    status: 200,
    chosenStatus: 203,
    contentType: 'text/plain; charset=utf-8',
    check: (response) => expect(response.text).to.equal('a note on disk\n'),
  },
];

for (const helper of helpers) {
  describe(helper.name, () => {
    recordTaskErrors();

    function fetch(app: express.Express): request.Test {
      return request(app).get('/x').redirects(0).buffer(true);
    }

    it(`sends ${helper.contentType} with status ${helper.status}`, async () => {
      const response = await fetch(appWith(get('/x', () => helper.make())));

      expect(response.status).to.equal(helper.status);
      const contentType = String(response.headers['content-type']);
      expect(contentType.toLowerCase()).to.equal(helper.contentType);
      helper.check(response);
    });

    it('sends the status it is given', async () => {
      const status = helper.chosenStatus;
      const app = appWith(get('/x', () => helper.make({ status })));

      const response = await fetch(app);

      expect(response.status).to.equal(status);
      helper.check(response);
    });

    it('sends the headers it is given', async () => {
      const headers = { 'x-extra': 'yes', 'set-cookie': ['a=1', 'b=2'] };
      const app = appWith(get('/x', () => helper.make({ headers })));

      const response = await fetch(app);

      expect(response.headers['x-extra']).to.equal('yes');
      expect(response.headers['set-cookie']).to.deep.equal(['a=1', 'b=2']);
      helper.check(response);
    });

    const status = helper.chosenStatus;
    const setups: [string, (background: BackgroundTasks) => ResponseSetup][] = [
      ['given as its second argument', (background) => background],
      ['given in its options', (background) => ({ background, status })],
    ];

    for (const [how, setupWith] of setups) {
      it(`runs the tasks ${how} after the response`, async () => {
        const seen: boolean[] = [];
        function recordFinished(res: ServerResponse): void {
          seen.push(res.writableFinished);
        }
        const app = appWith(
          get('/x', (_req, ctx) => {
            const background = new BackgroundTasks()
              .addTask(recordFinished, ctx.res)
              .addTask(recordFinished, ctx.res);
            return helper.make(setupWith(background));
          }),
        );

        const response = await fetch(app);
        await drain();

        helper.check(response);
        expect(seen).to.deep.equal([true, true]);
      });
    }
  });
}

describe('text(body, setup) and html(body, setup)', () => {
  recordTaskErrors();

  for (const make of [text, html]) {
    it(`${make.name}() keeps a content type given in its headers`, async () => {
      const headers = { 'content-type': 'text/csv; charset=utf-8' };
      const app = appWith(get('/x', () => make('a,b', { headers })));

      const response = await request(app).get('/x');

      expect(response.headers['content-type']).to.equal(headers['content-type']);
      expect(response.text).to.equal('a,b');
    });
  }
});

describe('redirect(url, setup)', () => {
  recordTaskErrors();

  it('answers 301 when told', async () => {
    const app = appWith(get('/old', () => redirect('/new', { status: 301 })));

    const response = await request(app).get('/old').redirects(0);

    expect(response.status).to.equal(301);
    expect(response.headers.location).to.equal('/new');
  });
});

describe('stream(readable, setup)', () => {
  const reported = recordTaskErrors();
  const serve = serveDuringEachTest();

  it('keeps a content type given in its headers', async () => {
    const app = appWith(
      get('/x', () =>
        stream(Readable.from(['a,b\n']), {
          headers: { 'content-type': 'text/csv' },
        }),
      ),
    );

    const response = await request(app).get('/x');

    expect(response.headers['content-type']).to.match(/^text\/csv\b/);
    expect(response.text).to.equal('a,b\n');
  });

  it('runs the tasks only after the last chunk', async () => {
    const source = new Readable({ read() {} });
    const seen: { finished: boolean; sourceEnded: boolean }[] = [];
    function recordSent(res: ServerResponse): void {
      seen.push({ finished: res.writableFinished, sourceEnded: source.readableEnded });
    }
    const app = appWith(
      get('/x', (_req, ctx) =>
        stream(source, new BackgroundTask(recordSent, ctx.res)),
      ),
    );
    const server = await serve(app);

    source.push('first chunk, ');
    const response = await startRequest(server.port, '/x').response;
    const first = await firstChunk(response);
    await nextTurn();
    expect(seen).to.deep.equal([]);

    const rest = restOf(response);
    source.push('last chunk');
    source.push(null);
    expect(first.toString() + (await rest)).to.equal('first chunk, last chunk');
    await drain();

    expect(seen).to.deep.equal([{ finished: true, sourceEnded: true }]);
  });

  describe('when the stream fails before any data', () => {
    it('answers 500 through the error middleware and runs no tasks', async () => {
      const seen: unknown[] = [];
      let runs = 0;
      const task = new BackgroundTask(function countRun() {
        runs += 1;
      });
      const app = appNotingErrors(
        seen,
        get('/x', task, () => {
          const source = new Readable({ read() {} });
          process.nextTick(() => source.destroy(new Error('disk gone')));
          return stream(source, { background: task, headers: { 'x-extra': 'yes' } });
        }),
      );

      const response = await request(app).get('/x');
      await drain();

      expect(response.status).to.equal(500);
      expect(response.headers['content-type']).to.match(/^application\/json/);
      expect(response.headers).to.not.have.property('x-extra');
      expect(response.body).to.deep.equal({ error: 'disk gone' });
      expect(seen).to.have.length(1);
      expect(runs).to.equal(0);
      expect(reported).to.deep.equal([]);
    });
  });

  describe('when the stream fails after some data', () => {
    it('cuts the response and runs no tasks', async () => {
      const seen: unknown[] = [];
      const source = new Readable({ read() {} });
      let runs = 0;
      const task = new BackgroundTask(function countRun() {
        runs += 1;
      });
      const server = await serve(
        appNotingErrors(seen, get('/x', task, () => stream(source))),
      );

      source.push('some data');
      const response = await startRequest(server.port, '/x').response;
      await firstChunk(response);
      const cut = new Promise((resolve) => response.on('close', resolve));
      source.destroy(new Error('disk gone'));
      await cut;
      await drain();

      expect(response.complete).to.equal(false);
      expect(seen).to.have.length(1);
      expect(runs).to.equal(0);
    });
  });

  describe('when the client leaves mid-stream', () => {
    it('destroys the source and runs the tasks once', async () => {
      const source = new Readable({ read() {} });
      let runs = 0;
      const task = new BackgroundTask(function countRun() {
        runs += 1;
      });
      const server = await serve(appWith(get('/x', () => stream(source, task))));

      source.push('first chunk');
      const client = startRequest(server.port, '/x');
      await firstChunk(await client.response);
      const destroyed = new Promise((resolve) => source.on('close', resolve));
      client.abort();
      await destroyed;
      await drain();
      await nextTurn();
      await drain();

      expect(source.destroyed).to.equal(true);
      expect(runs).to.equal(1);
    });
  });

  describe('when the client left before the handler returned it', () => {
    it('destroys the source and runs the tasks once', async () => {
      const source = new Readable({ read() {} });
      const started = deferred();
      const closed = deferred();
      const release = deferred();
      let runs = 0;
      const task = new BackgroundTask(function countRun() {
        runs += 1;
      });
      const server = await serve(
        appWith(
          get('/x', async (_req, ctx) => {
            ctx.res.on('close', () => closed.resolve());
            started.resolve();
            await release.promise;
            return stream(source, task);
          }),
        ),
      );

      const client = startRequest(server.port, '/x');
      await started.promise;
      client.abort();
      await closed.promise;
      release.resolve();
      await drain();

      expect(source.destroyed).to.equal(true);
      expect(runs).to.equal(1);
    });
  });
});

describe('file(path, setup)', () => {
  recordTaskErrors();
  const serve = serveDuringEachTest();

  describe('when the client left before the handler returned it', () => {
    it('runs the tasks once', async () => {
      const started = deferred();
      const closed = deferred();
      const release = deferred();
      let runs = 0;
      const task = new BackgroundTask(function countRun() {
        runs += 1;
      });
      const server = await serve(
        appWith(
          get('/x', async (_req, ctx) => {
            ctx.res.on('close', () => closed.resolve());
            started.resolve();
            await release.promise;
            return file(notePath, task);
          }),
        ),
      );

      const client = startRequest(server.port, '/x');
      await started.promise;
      client.abort();
      await closed.promise;
      release.resolve();
      await drain();
      await nextTurn();
      await drain();

      expect(runs).to.equal(1);
    });
  });

  describe('when the client leaves mid-file', () => {
    it('runs the tasks once', async () => {
      const bigPath = join(folder, 'big.bin');
      writeFileSync(bigPath, Buffer.alloc(8 * 1024 * 1024, 1));
      let runs = 0;
      const task = new BackgroundTask(function countRun() {
        runs += 1;
      });
      const server = await serve(appWith(get('/x', () => file(bigPath, task))));

      const client = startRequest(server.port, '/x');
      await firstChunk(await client.response);
      client.abort();
      await drain();
      await nextTurn();
      await drain();

      expect(runs).to.equal(1);
    });
  });

  describe('when the file is missing', () => {
    it('goes through the error middleware and runs no tasks', async () => {
      const seen: unknown[] = [];
      let runs = 0;
      const task = new BackgroundTask(function countRun() {
        runs += 1;
      });
      const missing = join(folder, 'missing.txt');
      const app = appNotingErrors(
        seen,
        get('/x', task, () => file(missing, task)),
      );

      const response = await request(app).get('/x');
      await drain();

      expect(response.status).to.equal(404);
      expect(seen).to.have.length(1);
      expect(seen[0]).to.have.property('code', 'ENOENT');
      expect(runs).to.equal(0);
    });
  });
});

describe('runAfterResponse(res, background)', () => {
  recordTaskErrors();
  const serve = serveDuringEachTest();

  function getText(url: string): Promise<string> {
    return new Promise((resolve, reject) => {
      http.get(url, (response) => resolve(restOf(response))).on('error', reject);
    });
  }

  it('runs the tasks after a plain node:http response', async () => {
    const seen: boolean[] = [];
    function recordFinished(res: ServerResponse): void {
      seen.push(res.writableFinished);
    }
    const server = await serve((_req, res) => {
      runAfterResponse(res, new BackgroundTask(recordFinished, res));
      res.end('plain');
    });

    expect(await getText(server.url)).to.equal('plain');
    await drain();

    expect(seen).to.deep.equal([true]);
  });

  it('runs the tasks after a plain Express handler', async () => {
    const ran: string[] = [];
    function record(label: string): void {
      ran.push(label);
    }
    const app = express();
    app.get('/plain', (_req, res) => {
      const tasks = new BackgroundTasks()
        .addTask(record, 'first')
        .addTask(record, 'second');
      runAfterResponse(res, tasks);
      res.json({ plain: true });
    });

    await request(app).get('/plain').expect(200, { plain: true });
    await drain();

    expect(ran).to.deep.equal(['first', 'second']);
  });

  it('runs a list attached twice to the same response once', async () => {
    const ran: string[] = [];
    function record(label: string): void {
      ran.push(label);
    }
    const list = new BackgroundTasks().addTask(record, 'list');
    const single = new BackgroundTask(record, 'single');
    const app = express();
    app.get('/twice', (_req, res) => {
      runAfterResponse(res, list);
      runAfterResponse(res, single);
      runAfterResponse(res, list);
      runAfterResponse(res, single);
      res.send('ok');
    });

    await request(app).get('/twice').expect(200);
    await request(app).get('/twice').expect(200);
    await drain();

    expect(ran).to.deep.equal(['list', 'single', 'list', 'single']);
  });

  it('runs tasks added to the list after the call, before the response ended', async () => {
    const ran: string[] = [];
    function record(label: string): void {
      ran.push(label);
    }
    const app = express();
    app.get('/later', async (_req, res) => {
      const tasks = new BackgroundTasks().addTask(record, 'at the call');
      runAfterResponse(res, tasks);
      tasks.addTask(record, 'right after');
      await nextTurn();
      tasks.addTask(record, 'a turn later');
      res.send('ok');
    });

    await request(app).get('/later').expect(200);
    await drain();

    expect(ran).to.deep.equal(['at the call', 'right after', 'a turn later']);
  });

  describe('when the client leaves before any response', () => {
    it('runs the tasks once', async () => {
      const received = deferred();
      const closed = deferred();
      let runs = 0;
      const task = new BackgroundTask(function countRun() {
        runs += 1;
      });
      const server = await serve((_req, res) => {
        runAfterResponse(res, task);
        res.on('close', () => closed.resolve());
        received.resolve();
      });

      const client = startRequest(server.port, '/');
      await received.promise;
      client.abort();
      await closed.promise;
      await drain();
      await nextTurn();
      await drain();

      expect(runs).to.equal(1);
    });
  });
});
