import http from 'node:http';
import { expect } from 'chai';
import request from 'supertest';
import {
  BackgroundTask,
  BackgroundTasks,
  closeGracefully,
  configure,
  drain,
  file,
  get,
  json,
  post,
  redirect,
  routes,
  runAfterResponse,
  stream,
  text,
} from '../index';
import { appWith, recordTaskErrors } from './support/app';

// The calls below are wrong on purpose: the compiler would refuse them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const loose = <T>(value: T): Loose => value;

function handler(): string {
  return 'ok';
}
const task = new BackgroundTask(handler);

/** Each case: what is wrong, the call, and the exact message. */
type Case = [title: string, call: () => unknown, message: string];

function throwsEach(cases: Case[]): void {
  for (const [title, call, message] of cases) {
    it(`throws a TypeError for ${title}`, () => {
      let thrown: unknown;
      try {
        call();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(TypeError);
      expect((thrown as TypeError).message).to.equal(message);
    });
  }
}

const durationExpected =
  'a number of milliseconds from 1 to 2147483647, or Infinity';

describe('wrong definitions and calls', () => {
  describe('route helpers', () => {
    throwsEach([
      [
        'a handler that is no function',
        () => get('/users', loose('nope')),
        'Expected `handler` to be a function, got `"nope"` (string)',
      ],
      [
        'a path that is no string or RegExp',
        () => get(loose(42), handler),
        'Expected `path` to be a string or RegExp, got `42` (number)',
      ],
      [
        'a background that is no task or list',
        () => post('/users', loose(42), handler),
        'Expected `background` to be a BackgroundTask, BackgroundTasks or ' +
          'route options, got `42` (number)',
      ],
      [
        'middleware given where the background goes',
        () => get('/users', loose(handler), handler),
        'Expected `background` to be a BackgroundTask, BackgroundTasks or ' +
          'route options, got `[Function: handler]` (function); ' +
          'route middleware goes in `options.middleware`',
      ],
      [
        'a missing handler',
        () => loose(get)('/users'),
        'Expected 2 or 3 arguments (path, background or options, handler), ' +
          'got 1',
      ],
      [
        'an option it does not know',
        () => get('/users', loose({ statusCode: 200 }), handler),
        'Expected `options` to have only `background`, `status`, ' +
          '`middleware`, got `statusCode`',
      ],
      [
        'status: 99',
        () => get('/users', { status: 99 }, handler),
        'Expected `status` to be an integer status from 200 to 599, ' +
          'got `99` (number)',
      ],
      [
        "status: '201'",
        () => post('/users', { status: loose('201') }, handler),
        'Expected `status` to be an integer status from 200 to 599, ' +
          'got `"201"` (string)',
      ],
      [
        'middleware that is no array',
        () => get('/users', { middleware: loose(handler) }, handler),
        'Expected `middleware` to be an array of functions, ' +
          'got `[Function: handler]` (function)',
      ],
      [
        'middleware that holds a non-function',
        () => get('/users', { middleware: loose([handler, 1]) }, handler),
        'Expected `middleware[1]` to be a function, got `1` (number)',
      ],
      [
        'options.background that is an array of tasks',
        () => get('/users', { background: loose([task]) }, handler),
        'Expected `background` to be a BackgroundTask or BackgroundTasks, ' +
          'got `[ [BackgroundTask] ]` (array)',
      ],
      [
        'routes() given something that is no router',
        () => routes(loose('users')),
        'Expected `routers[0]` to be a router, got `"users"` (string)',
      ],
    ]);
  });

  describe('tasks and lists', () => {
    throwsEach([
      [
        'a task function that is no function',
        () => new BackgroundTask(loose('sendEmail')),
        'Expected `fn` to be a function, got `"sendEmail"` (string)',
      ],
      [
        'addTask() given no function',
        () => new BackgroundTasks().addTask(loose(undefined)),
        'Expected `fn` to be a function, got `undefined` (undefined)',
      ],
      [
        'list options that are no object',
        () => new BackgroundTasks(loose([task])),
        'Expected `options` to be an object, got `[ [BackgroundTask] ]` ' +
          '(array)',
      ],
      [
        'tasks that are no array',
        () => new BackgroundTasks({ tasks: loose(task) }),
        'Expected `tasks` to be an array of BackgroundTask, ' +
          "got `BackgroundTask { name: 'handler', fn: [Function: handler], " +
          'args: [] }` (object)',
      ],
      [
        'a task list holding a bare function',
        () => new BackgroundTasks({ tasks: loose([task, handler]) }),
        'Expected `tasks[1]` to be a BackgroundTask, ' +
          'got `[Function: handler]` (function)',
      ],
    ]);
  });

  describe('response helpers', () => {
    throwsEach([
      [
        'json() given a number for the background',
        () => json({}, loose(42)),
        'Expected `background` to be a BackgroundTask, BackgroundTasks or ' +
          'response options, got `42` (number)',
      ],
      [
        'json() given status: 99',
        () => json({}, { status: 99 }),
        'Expected `status` to be an integer status from 200 to 599, ' +
          'got `99` (number)',
      ],
      [
        'a header value that is an object',
        () => json({}, { headers: { 'x-trace': loose({}) } }),
        'Expected `headers.x-trace` to be a string, number or array of ' +
          'strings, got `{}` (object)',
      ],
      [
        'redirect() given status: 200',
        () => redirect('/home', { status: 200 }),
        'Expected `status` to be an integer status from 300 to 399, ' +
          'got `200` (number)',
      ],
      [
        'text() given a number',
        () => text(loose(42)),
        'Expected `body` to be a string, got `42` (number)',
      ],
      [
        'stream() given a string',
        () => stream(loose('report.csv')),
        'Expected `body` to be a readable stream, got `"report.csv"` (string)',
      ],
      [
        'file() given no path',
        () => file(loose(undefined)),
        'Expected `path` to be a string, got `undefined` (undefined)',
      ],
    ]);
  });

  describe('runAfterResponse()', () => {
    const response = new http.ServerResponse(
      new http.IncomingMessage(loose(null)),
    );
    throwsEach([
      [
        'something that is no response',
        () => runAfterResponse(loose({}), task),
        'Expected `res` to be an HTTP response, got `{}` (object)',
      ],
      [
        'a background that is a function',
        () => runAfterResponse(response, loose(handler)),
        'Expected `background` to be a BackgroundTask or BackgroundTasks, ' +
          'got `[Function: handler]` (function)',
      ],
    ]);
  });

  describe('configure()', () => {
    afterEach(() => configure({
      onError: undefined,
      concurrency: undefined,
      maxPending: undefined,
      timeout: undefined,
    }));

    throwsEach([
      [
        'concurrency: 0',
        () => configure({ concurrency: 0 }),
        'Expected `concurrency` to be an integer >= 1 or Infinity, ' +
          'got `0` (number)',
      ],
      [
        'concurrency: 2.5',
        () => configure({ concurrency: 2.5 }),
        'Expected `concurrency` to be an integer >= 1 or Infinity, ' +
          'got `2.5` (number)',
      ],
      [
        'maxPending: -1',
        () => configure({ maxPending: -1 }),
        'Expected `maxPending` to be an integer >= 0 or Infinity, ' +
          'got `-1` (number)',
      ],
      [
        'timeout: -1',
        () => configure({ timeout: -1 }),
        `Expected \`timeout\` to be ${durationExpected}, got \`-1\` (number)`,
      ],
      [
        'timeout: NaN',
        () => configure({ timeout: NaN }),
        `Expected \`timeout\` to be ${durationExpected}, got \`NaN\` (number)`,
      ],
      [
        "timeout: '5s'",
        () => configure({ timeout: loose('5s') }),
        `Expected \`timeout\` to be ${durationExpected}, got \`"5s"\` (string)`,
      ],
      [
        'a timeout past what a timer can wait',
        () => configure({ timeout: 2 ** 31 }),
        `Expected \`timeout\` to be ${durationExpected}, ` +
          'got `2147483648` (number)',
      ],
      [
        'onError that is no function',
        () => configure({ onError: loose('console') }),
        'Expected `onError` to be a function, got `"console"` (string)',
      ],
      [
        'an option it does not know',
        () => configure(loose({ retries: 3 })),
        'Expected `options` to have only `onError`, `concurrency`, ' +
          '`maxPending`, `timeout`, got `retries`',
      ],
      [
        'options that are no object',
        () => configure(loose(null)),
        'Expected `options` to be an object, got `null` (null)',
      ],
    ]);

    it('leaves every setting as it was when one is wrong', async () => {
      const reported: unknown[] = [];
      configure({ onError: (error) => reported.push(error) });
      const wrong = { concurrency: 1, maxPending: 0, timeout: -1 };
      expect(() => configure(wrong)).to.throw(TypeError);
      // Had the limits been taken, the second request would be refused.
      function slow(): Promise<void> {
        return new Promise((settle) => setTimeout(settle, 100));
      }
      const router = get('/twice', new BackgroundTask(slow), () => 'ok');
      const app = appWith(router);
      await request(app).get('/twice');
      await request(app).get('/twice');
      await drain();
      expect(reported).to.deep.equal([]);
    });
  });

  describe('drain() and closeGracefully()', () => {
    throwsEach([
      [
        'drain({ timeout: 0 })',
        () => drain({ timeout: 0 }),
        `Expected \`timeout\` to be ${durationExpected}, got \`0\` (number)`,
      ],
      [
        'drain() given options that are no object',
        () => drain(loose(500)),
        'Expected `options` to be an object, got `500` (number)',
      ],
      [
        'drain() given an option it does not know',
        () => drain(loose({ wait: 100 })),
        'Expected `options` to have only `timeout`, got `wait`',
      ],
      [
        'closeGracefully() given no server',
        () => closeGracefully(loose({ port: 3000 })),
        'Expected `server` to be an HTTP server, got `{ port: 3000 }` ' +
          '(object)',
      ],
      [
        'closeGracefully() given options that are no object',
        () => closeGracefully(http.createServer(), loose(5000)),
        'Expected `options` to be an object, got `5000` (number)',
      ],
      [
        'closeGracefully() given timeout: -5',
        () => closeGracefully(http.createServer(), { timeout: -5 }),
        `Expected \`timeout\` to be ${durationExpected}, got \`-5\` (number)`,
      ],
    ]);
  });

  describe('json() with a body that cannot be serialized', () => {
    const reported = recordTaskErrors();
    const ran: string[] = [];
    function recordRun(route: string): void {
      ran.push(route);
    }
    beforeEach(() => {
      ran.length = 0;
    });

    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const app = appWith(
      get('/circular', new BackgroundTask(recordRun, 'route'), () =>
        json(circular, new BackgroundTask(recordRun, 'response')),
      ),
      get('/bigint', (_req, ctx) => {
        ctx.background.addTask(recordRun, 'handler');
        return json({ total: 10n });
      }),
    );

    for (const path of ['/circular', '/bigint']) {
      it(`answers 500 through the error handler for ${path}`, async () => {
        const res = await request(app).get(path).expect(500);
        expect(res.body.error).to.match(/circular|BigInt/i);
        await drain();
        expect(ran).to.deep.equal([]);
        expect(reported).to.deep.equal([]);
      });
    }
  });
});
