import { AsyncLocalStorage } from 'node:async_hooks';
import http, { type ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { expect } from 'chai';
import express, { type ErrorRequestHandler, type Router } from 'express';
import request from 'supertest';
import {
  BackgroundTask,
  BackgroundTasks,
  configure,
  drain,
  get,
  json,
  post,
  routes,
  runAfterResponse,
  text,
} from '../index';
import { appWith, deferred, recordTaskErrors } from './support/app';
import { nextTurn, serveDuringEachTest, startRequest } from './support/server';

/**
 * An app like `appWith` whose error middleware also notes each error it
 * hears before answering.
 */
function appNotingErrors(seen: unknown[], ...routers: Router[]): express.Express {
  const app = express();
  for (const router of routers) app.use(router);
  const noteError: ErrorRequestHandler = (error: Error, _req, res, _next) => {
    seen.push(error);
    res.status(500).json({ error: error.message });
  };
  app.use(noteError);
  return app;
}

/** The error a call throws, or a failure when it throws none. */
function errorThrownBy(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('Expected the call to throw');
}

describe("a request's tasks", () => {
  recordTaskErrors();
  const serve = serveDuringEachTest();

  it('start only once the whole body was handed to the socket', async () => {
    const seen: { finished: boolean; headersSent: boolean }[] = [];
    function recordResponse(res: ServerResponse): void {
      seen.push({ finished: res.writableFinished, headersSent: res.headersSent });
    }
    const body = 'x'.repeat(4 * 1024 * 1024);
    const app = appWith(
      get('/big', (_req, ctx) => {
        ctx.background.addTask(recordResponse, ctx.res);
        return text(body);
      }),
    );

    const response = await request(app).get('/big').expect(200);
    await drain();

    expect(response.text).to.have.length(body.length);
    expect(seen).to.deep.equal([{ finished: true, headersSent: true }]);
  });

  it('run exactly once per request', async () => {
    const runs: string[] = [];
    const app = appWith(
      get('/count', (req, ctx) => {
        ctx.background.addTask(function record(id: string) {
          runs.push(id);
        }, String(req.query.id));
        return { ok: true };
      }),
    );

    for (const id of ['a', 'b', 'c']) {
      await request(app).get(`/count?id=${id}`).expect(200);
    }
    await drain();

    expect(runs).to.deep.equal(['a', 'b', 'c']);
  });

  it('start in a later turn than the one the response finished in', async () => {
    const events: string[] = [];
    const app = express();
    app.use((_req, res, next) => {
      res.on('finish', () => {
        events.push('finish');
        setImmediate(() => events.push('turn after finish'));
      });
      next();
    });
    const task = new BackgroundTask(function record() {
      events.push('task');
    });
    app.use(get('/x', task, () => ({ ok: true })));

    await request(app).get('/x').expect(200);
    await drain();

    expect(events).to.deep.equal(['finish', 'turn after finish', 'task']);
  });

  describe('when the client closes the connection while the handler runs', () => {
    it('run once the handler has returned, exactly once', async () => {
      const started = deferred();
      const closed = deferred();
      const release = deferred();
      let runs = 0;
      const task = new BackgroundTask(function countRun() {
        runs += 1;
      });
      const app = appWith(
        get('/slow', task, async (_req, ctx) => {
          ctx.res.on('close', () => closed.resolve());
          started.resolve();
          await release.promise;
          return { late: true };
        }),
      );
      const server = await serve(app);

      const client = startRequest(server.port, '/slow');
      await started.promise;
      client.abort();
      await closed.promise;
      await nextTurn();
      expect(runs).to.equal(0);

      release.resolve();
      await drain();
      await nextTurn();
      await drain();
      expect(runs).to.equal(1);
    });
  });

  it('keep drain() waiting while the handler still runs', async () => {
    const started = deferred();
    const release = deferred();
    let runs = 0;
    const task = new BackgroundTask(function countRun() {
      runs += 1;
    });
    const app = appWith(
      get('/slow', task, async () => {
        started.resolve();
        await release.promise;
        return { done: true };
      }),
    );
    const server = await serve(app);

    const answered = request(server.url).get('/slow').then((response) => response);
    await started.promise;
    const early = await drain({ timeout: 1 });
    expect(early.pending).to.equal(1);

    let drained = false;
    const draining = drain().then(() => {
      drained = true;
    });
    await nextTurn();
    expect(drained).to.equal(false);

    release.resolve();
    expect((await answered).status).to.equal(200);
    await draining;
    expect(runs).to.equal(1);
  });
});

describe('the order of tasks', () => {
  recordTaskErrors();

  function recorder(ran: string[]) {
    return function record(label: string): void {
      ran.push(label);
    };
  }

  it("runs the route's tasks, then the handler's, then the response's", async () => {
    const ran: string[] = [];
    const record = recorder(ran);
    const routeTasks = new BackgroundTasks()
      .addTask(record, 'route 1')
      .addTask(record, 'route 2');
    const app = appWith(
      get('/x', routeTasks, (_req, ctx) => {
        ctx.background.addTask(record, 'handler 1').addTask(record, 'handler 2');
        const carried = new BackgroundTasks()
          .addTask(record, 'response 1')
          .addTask(record, 'response 2');
        return json({ ok: true }, carried);
      }),
    );

    await request(app).get('/x').expect(200);
    await drain();

    expect(ran).to.deep.equal([
      'route 1',
      'route 2',
      'handler 1',
      'handler 2',
      'response 1',
      'response 2',
    ]);
  });

  it('runs the request list once when the response carries it too', async () => {
    const ran: string[] = [];
    const record = recorder(ran);
    const app = appWith(
      get('/x', new BackgroundTask(record, 'route'), (_req, ctx) => {
        ctx.background.addTask(record, 'handler');
        return json({ ok: true }, ctx.background);
      }),
    );

    await request(app).get('/x').expect(200);
    await drain();

    expect(ran).to.deep.equal(['route', 'handler']);
  });

  it("runs the route's list once when the response carries it again", async () => {
    const ran: string[] = [];
    const record = recorder(ran);
    const routeTasks = new BackgroundTasks().addTask(record, 'route');
    const app = appWith(
      get('/x', routeTasks, (_req, ctx) => {
        ctx.background.addTask(record, 'handler');
        return json({ ok: true }, routeTasks);
      }),
    );

    await request(app).get('/x').expect(200);
    await drain();

    expect(ran).to.deep.equal(['route', 'handler']);
  });

  it("runs the route's single task once when the response carries it again", async () => {
    const ran: string[] = [];
    const routeTask = new BackgroundTask(recorder(ran), 'route');
    const app = appWith(
      get('/x', routeTask, () => json({ ok: true }, { background: routeTask })),
    );

    await request(app).get('/x').expect(200);
    await drain();

    expect(ran).to.deep.equal(['route']);
  });

  it('runs the request list once when runAfterResponse got it too', async () => {
    const ran: string[] = [];
    const record = recorder(ran);
    const app = appWith(
      get('/x', (_req, ctx) => {
        ctx.background.addTask(record, 'handler');
        runAfterResponse(ctx.res, ctx.background);
        return json({ ok: true }, ctx.background);
      }),
    );

    await request(app).get('/x').expect(200);
    await drain();

    expect(ran).to.deep.equal(['handler']);
  });
});

describe('a task list', () => {
  const reported = recordTaskErrors();

  it('awaits each task before it starts the next', async () => {
    const events: string[] = [];
    async function slowFirst(): Promise<void> {
      events.push('first started');
      await nextTurn();
      await nextTurn();
      events.push('first finished');
    }
    function second(): void {
      events.push('second started');
    }
    const tasks = new BackgroundTasks().addTask(slowFirst).addTask(second);
    const app = appWith(get('/x', tasks, () => ({ ok: true })));

    await request(app).get('/x').expect(200);
    await drain();

    expect(events).to.deep.equal([
      'first started',
      'first finished',
      'second started',
    ]);
  });

  const failures = {
    throws: function failing(): never {
      throw new Error('task failed');
    },
    rejects: async function failing(): Promise<never> {
      await nextTurn();
      throw new Error('task failed');
    },
  };

  for (const [how, failing] of Object.entries(failures)) {
    describe(`when a task ${how}`, () => {
      function routeRecording(ran: string[]): Router {
        const tasks = new BackgroundTasks()
          .addTask(function before() {
            ran.push('before');
          })
          .addTask(failing)
          .addTask(function afterOne() {
            ran.push('after one');
          })
          .addTask(function afterTwo() {
            ran.push('after two');
          });
        return get('/orders/:id', tasks, () => ({ ok: true }));
      }

      it('skips the rest of the list', async () => {
        const ran: string[] = [];

        await request(appWith(routeRecording(ran))).get('/orders/7').expect(200);
        await drain();

        expect(ran).to.deep.equal(['before']);
      });

      it('tells onError the error, the skipped tasks and the request', async () => {
        const app = express();
        app.use('/api', routes(routeRecording([])));

        await request(app).get('/api/orders/7?token=secret').expect(200);
        await drain();

        expect(reported).to.have.length(1);
        const [{ error, info }] = reported as [(typeof reported)[number]];
        expect(error).to.be.an('error').with.property('message', 'task failed');
        expect(info).to.deep.equal({
          task: 'failing',
          skipped: ['afterOne', 'afterTwo'],
          request: { method: 'GET', path: '/api/orders/7' },
        });
      });
    });
  }

  it("leaves other requests' tasks alone", async () => {
    const ran: string[] = [];
    const gate = deferred();
    function first(id: string): void {
      ran.push(`${id}: first`);
    }
    async function check(id: string): Promise<void> {
      ran.push(`${id}: check`);
      await gate.promise;
      if (id === 'bad') throw new Error(`${id} failed`);
    }
    function last(id: string): void {
      ran.push(`${id}: last`);
    }
    const app = appWith(
      get('/items/:id', (req, ctx) => {
        const { id } = req.params;
        ctx.background.addTask(first, id).addTask(check, id).addTask(last, id);
        return { id };
      }),
    );

    await request(app).get('/items/bad').expect(200);
    await request(app).get('/items/good').expect(200);
    gate.resolve();
    await drain();

    expect([...ran].sort()).to.deep.equal([
      'bad: check',
      'bad: first',
      'good: check',
      'good: first',
      'good: last',
    ]);
    expect(reported.map(({ info }) => info.request.path)).to.deep.equal([
      '/items/bad',
    ]);
  });
});

describe('a failing task', () => {
  const reported = recordTaskErrors();
  const unhandled: unknown[] = [];
  const noteUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', noteUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', noteUnhandled);
  });

  const failures = {
    throws: function failing(): never {
      throw new Error('task failed');
    },
    rejects: async function failing(): Promise<never> {
      await nextTurn();
      throw new Error('task failed');
    },
  };

  for (const [how, failing] of Object.entries(failures)) {
    describe(`when it ${how}`, () => {
      it('still sends the response, unchanged', async () => {
        const app = appWith(
          get('/x', new BackgroundTask(failing), () =>
            json({ ok: true }, { headers: { 'x-kept': 'yes' } }),
          ),
        );

        const response = await request(app).get('/x');
        await drain();

        expect(response.status).to.equal(200);
        expect(response.headers['x-kept']).to.equal('yes');
        expect(response.body).to.deep.equal({ ok: true });
        expect(reported).to.have.length(1);
      });

      it('never reaches the error middleware', async () => {
        const seen: unknown[] = [];
        const app = appNotingErrors(
          seen,
          get('/x', new BackgroundTask(failing), () => ({ ok: true })),
        );

        await request(app).get('/x').expect(200);
        await drain();
        await nextTurn();

        expect(seen).to.deep.equal([]);
      });

      it('leaves no unhandled rejection and the server answering', async () => {
        const app = appWith(
          get('/x', new BackgroundTask(failing), () => ({ ok: true })),
        );

        await request(app).get('/x').expect(200);
        await drain();
        await nextTurn();
        await request(app).get('/x').expect(200, { ok: true });
        await drain();
        await nextTurn();

        expect(unhandled).to.deep.equal([]);
        expect(reported).to.have.length(2);
      });
    });
  }

  describe('when onError throws too', () => {
    it('leaves no unhandled rejection and prints both errors', async () => {
      const printed: string[] = [];
      const write = process.stderr.write;
      configure({
        onError: () => {
          throw new Error('hook failed');
        },
      });
      const app = appWith(
        get('/x', new BackgroundTask(failures.throws), () => ({ ok: true })),
      );

      process.stderr.write = ((chunk: string) => {
        printed.push(String(chunk));
        return true;
      }) as typeof process.stderr.write;
      try {
        await request(app).get('/x').expect(200);
        await drain();
        await nextTurn();
      } finally {
        process.stderr.write = write;
      }

      expect(unhandled).to.deep.equal([]);
      const output = printed.join('');
      expect(output).to.include('task failed');
      expect(output).to.include('hook failed');
    });
  });
});

describe('a failing handler', () => {
  recordTaskErrors();

  const failures = {
    throws: (): never => {
      throw new Error('handler failed');
    },
    rejects: async (): Promise<never> => {
      await nextTurn();
      throw new Error('handler failed');
    },
  };

  for (const [how, fail] of Object.entries(failures)) {
    describe(`when the handler ${how}`, () => {
      it("answers 500 from the error middleware and runs none of the request's tasks", async () => {
        const ran: string[] = [];
        const seen: unknown[] = [];
        function record(label: string): void {
          ran.push(label);
        }
        const app = appNotingErrors(
          seen,
          get('/x', new BackgroundTask(record, 'route'), (_req, ctx) => {
            ctx.background.addTask(record, 'added before the failure');
            return fail();
          }),
        );

        const response = await request(app).get('/x');
        await drain();

        expect(response.status).to.equal(500);
        expect(response.body).to.deep.equal({ error: 'handler failed' });
        expect(seen).to.have.length(1);
        expect(seen[0]).to.be.an('error').with.property('message', 'handler failed');
        expect(ran).to.deep.equal([]);
      });
    });
  }

  describe('when the handler returns a 400 on purpose', () => {
    it('sends it and runs its tasks', async () => {
      const ran: string[] = [];
      function record(label: string): void {
        ran.push(label);
      }
      const app = appWith(
        post('/signup', new BackgroundTask(record, 'route'), (_req, ctx) => {
          ctx.background.addTask(record, 'handler');
          return json(
            { error: 'email is taken' },
            { status: 400, background: new BackgroundTask(record, 'response') },
          );
        }),
      );

      await request(app)
        .post('/signup')
        .send({ email: 'ada@example.com' })
        .expect(400, { error: 'email is taken' });
      await drain();

      expect(ran).to.deep.equal(['route', 'handler', 'response']);
    });
  });
});

describe('route-level tasks', () => {
  recordTaskErrors();
  const serve = serveDuringEachTest();

  it('run exactly once per request, a thousand requests in a row', async function () {
    this.timeout(30_000);
    let runs = 0;
    const task = new BackgroundTask(function countRun() {
      runs += 1;
    });
    const server = await serve(appWith(get('/hit', task, () => ({ ok: true }))));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
    const hit = (): Promise<number | undefined> =>
      new Promise((resolve, reject) => {
        http
          .get(`${server.url}/hit`, { agent }, (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode));
          })
          .on('error', reject);
      });

    const statuses: (number | undefined)[] = [];
    try {
      for (let batch = 0; batch < 50; batch++) {
        statuses.push(...(await Promise.all(Array.from({ length: 20 }, hit))));
      }
    } finally {
      agent.destroy();
    }
    await drain();

    expect(statuses.filter((status) => status === 200)).to.have.length(1000);
    expect(runs).to.equal(1000);
  });

  it("do not carry one request's additions into the next", async () => {
    const seen: string[][] = [];
    function record(label: string): void {
      void label;
    }
    const template = new BackgroundTasks().addTask(record, 'route');
    const templateTasks = template.tasks;
    const app = appWith(
      get('/x', template, (req, ctx) => {
        seen.push(ctx.background.tasks.map((task) => String(task.args[0])));
        ctx.background.addTask(record, `added by ${String(req.query.id)}`);
        return { ok: true };
      }),
    );

    await request(app).get('/x?id=1').expect(200);
    await request(app).get('/x?id=2').expect(200);
    await drain();

    expect(seen).to.deep.equal([['route'], ['route']]);
    expect(template.tasks).to.have.length(1);
    expect(template.tasks[0]).to.equal(templateTasks[0]);
    expect(template.tasks[0]?.args).to.deep.equal(['route']);
  });

  it('give each request a list of its own, also when requests overlap', async () => {
    const ran: string[] = [];
    const bothStarted = [deferred(), deferred()] as const;
    const lists: BackgroundTasks[] = [];
    function record(label: string): void {
      ran.push(label);
    }
    const routeTask = new BackgroundTask(record, 'route');
    const app = appWith(
      get('/x/:id', routeTask, async (req, ctx) => {
        const id = Number(req.params.id);
        lists.push(ctx.background);
        ctx.background.addTask(record, `added by ${id}`);
        bothStarted[id]?.resolve();
        await Promise.all(bothStarted.map((each) => each.promise));
        return { id };
      }),
    );

    await Promise.all([
      request(app).get('/x/0').expect(200),
      request(app).get('/x/1').expect(200),
    ]);
    await drain();

    expect(lists).to.have.length(2);
    expect(lists[0]).to.not.equal(lists[1]);
    expect([...ran].sort()).to.deep.equal([
      'added by 0',
      'added by 1',
      'route',
      'route',
    ]);
    expect(routeTask.args).to.deep.equal(['route']);
  });
});

describe('a wrong definition', () => {
  const handler = (): unknown => ({ ok: true });
  const task = new BackgroundTask(handler);

  const cases: [string, () => unknown, string][] = [
    [
      'a handler that is a string',
      () => get('/x', 'nope' as never),
      'Expected `handler` to be a function, got `"nope"` (string)',
    ],
    [
      'a missing handler after a background',
      () => get('/x', task, undefined as never),
      'Expected `handler` to be a function, got `undefined` (undefined)',
    ],
    [
      'a handler that is null',
      () => post('/x', {}, null as never),
      'Expected `handler` to be a function, got `null` (null)',
    ],
    [
      'a task function that is a string',
      () => new BackgroundTask('nope' as never),
      'Expected `fn` to be a function, got `"nope"` (string)',
    ],
    [
      'a task function that is a number, added to a list',
      () => new BackgroundTasks().addTask(42 as never),
      'Expected `fn` to be a function, got `42` (number)',
    ],
    [
      'a task list holding a bare function',
      () => new BackgroundTasks({ tasks: [handler as never] }),
      'Expected `tasks[0]` to be a BackgroundTask, got `[Function: handler]` (function)',
    ],
    [
      'a path that is a number',
      () => get(42 as never, handler),
      'Expected `path` to be a string or RegExp, got `42` (number)',
    ],
    [
      'a path that is an array',
      () => get(['/a'] as never, handler),
      "Expected `path` to be a string or RegExp, got `[ '/a' ]` (array)",
    ],
    [
      'a missing path',
      () => get(undefined as never, task, handler),
      'Expected `path` to be a string or RegExp, got `undefined` (undefined)',
    ],
    [
      'a route background that is a string',
      () => get('/x', 'nope' as never, handler),
      'Expected `background` to be a BackgroundTask, BackgroundTasks or ' +
        'route options, got `"nope"` (string)',
    ],
    [
      'a route background that is an array of tasks',
      () => get('/x', [task] as never, handler),
      'Expected `background` to be a BackgroundTask, BackgroundTasks or ' +
        'route options, got `[ [BackgroundTask] ]` (array)',
    ],
    [
      'a route background in options that is a function',
      () => get('/x', { background: handler as never }, handler),
      'Expected `background` to be a BackgroundTask or BackgroundTasks, ' +
        'got `[Function: handler]` (function)',
    ],
    [
      'a response background that is a number',
      () => json({}, 7 as never),
      'Expected `background` to be a BackgroundTask, BackgroundTasks or ' +
        'response options, got `7` (number)',
    ],
    [
      'a runAfterResponse background that is a plain object',
      () => {
        const req = new http.IncomingMessage(new Socket());
        runAfterResponse(new http.ServerResponse(req), {} as never);
      },
      'Expected `background` to be a BackgroundTask or BackgroundTasks, ' +
        'got `{}` (object)',
    ],
  ];

  for (const [what, define, message] of cases) {
    it(`throws a TypeError for ${what}`, () => {
      const error = errorThrownBy(define);

      expect(error).to.be.an.instanceOf(TypeError);
      expect(error.message).to.equal(message);
    });
  }

  it('accepts a RegExp path', () => {
    expect(() => get(/^\/x$/, handler)).to.not.throw();
  });
});

describe('tasks in the async context of their request', () => {
  recordTaskErrors();
  const storage = new AsyncLocalStorage<{ requestId: string }>();

  function appWithContext(...routers: Router[]): express.Express {
    const app = express();
    app.use((req, _res, next) => {
      storage.run({ requestId: req.get('x-request-id') ?? 'none' }, next);
    });
    for (const router of routers) app.use(router);
    return app;
  }

  function contextRecorder(seen: string[]) {
    return {
      sync: function recordSync(label: string): void {
        seen.push(`${label}: ${storage.getStore()?.requestId}`);
      },
      async: async function recordAsync(label: string): Promise<void> {
        await nextTurn();
        seen.push(`${label}: ${storage.getStore()?.requestId}`);
      },
    };
  }

  it("sees the request's store in route, handler and response tasks", async () => {
    const seen: string[] = [];
    const record = contextRecorder(seen);
    const routeTasks = new BackgroundTasks()
      .addTask(record.sync, 'route sync')
      .addTask(record.async, 'route async');
    const app = appWithContext(
      get('/x', routeTasks, async (_req, ctx) => {
        await nextTurn();
        ctx.background
          .addTask(record.sync, 'handler sync')
          .addTask(record.async, 'handler async');
        const carried = new BackgroundTasks()
          .addTask(record.sync, 'response sync')
          .addTask(record.async, 'response async');
        return json({ ok: true }, carried);
      }),
    );

    await Promise.all([
      request(app).get('/x').set('x-request-id', 'one').expect(200),
      request(app).get('/x').set('x-request-id', 'two').expect(200),
    ]);
    await drain();

    const labels = [
      'route sync',
      'route async',
      'handler sync',
      'handler async',
      'response sync',
      'response async',
    ];
    const expected = ['one', 'two'].flatMap((id) =>
      labels.map((label) => `${label}: ${id}`),
    );
    expect([...seen].sort()).to.deep.equal(expected.sort());
  });

  it("sees the request's store with runAfterResponse", async () => {
    const seen: string[] = [];
    const record = contextRecorder(seen);
    const app = express();
    app.use((req, _res, next) => {
      storage.run({ requestId: req.get('x-request-id') ?? 'none' }, next);
    });
    app.get('/plain', (_req, res) => {
      const tasks = new BackgroundTasks()
        .addTask(record.sync, 'sync')
        .addTask(record.async, 'async');
      runAfterResponse(res, tasks);
      res.send('ok');
    });

    await request(app).get('/plain').set('x-request-id', 'plain').expect(200);
    await drain();

    expect(seen).to.deep.equal(['sync: plain', 'async: plain']);
  });

  it("sees the request's store when its list waited for a free slot", async () => {
    configure({ concurrency: 1 });
    const seen: string[] = [];
    const record = contextRecorder(seen);
    const firstStarted = deferred();
    const release = deferred();
    async function holdSlot(): Promise<void> {
      firstStarted.resolve();
      await release.promise;
    }
    const app = appWithContext(
      get('/hold', new BackgroundTask(holdSlot), () => ({ held: true })),
      get('/queued', new BackgroundTask(record.async, 'queued'), () => ({})),
    );

    await request(app).get('/hold').expect(200);
    await firstStarted.promise;
    await request(app).get('/queued').set('x-request-id', 'waited').expect(200);
    await nextTurn();
    expect(seen).to.deep.equal([]);
    release.resolve();
    await drain();

    expect(seen).to.deep.equal(['queued: waited']);
  });
});
