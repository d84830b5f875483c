import { AsyncLocalStorage } from 'node:async_hooks';
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import {
  AbandonedError,
  BackgroundTask,
  configure,
  drain,
  get,
  OverloadError,
  stats,
  taskSignal,
  TimeoutError,
  type RunnerStats,
  type TaskErrorInfo,
} from '../index';
import { InProcessRunner } from '../lib/runner';
import { deferred, recordTaskErrors } from './support/app';

interface Report {
  error: unknown;
  info: TaskErrorInfo;
}

/** A runner of its own, so a test's limits never reach another test. */
function isolatedRunner(): { runner: InProcessRunner; reported: Report[] } {
  const reported: Report[] = [];
  const runner = new InProcessRunner();
  runner.configure({ onError: (error, info) => reported.push({ error, info }) });
  return { runner, reported };
}

/** A task named `name` that waits until the test lets it go. */
function heldTask(name: string, log: string[]) {
  const gate = deferred();
  const hold = async (): Promise<void> => {
    log.push(`start ${name}`);
    await gate.promise;
    log.push(`end ${name}`);
  };
  Object.defineProperty(hold, 'name', { value: name });
  return { task: new BackgroundTask(hold), release: gate.resolve };
}

function namedTask(name: string, body: () => unknown): BackgroundTask {
  Object.defineProperty(body, 'name', { value: name });
  return new BackgroundTask(body);
}

/** Every task the runner was given is in exactly one of these counts. */
function accounted(counts: RunnerStats): number {
  return (
    counts.waiting +
    counts.running +
    counts.completed +
    counts.failed +
    counts.skipped +
    counts.overloaded +
    counts.abandoned
  );
}

const turn = (): Promise<void> => new Promise((done) => setImmediate(done));
const sleep = (ms: number): Promise<void> =>
  new Promise((done) => setTimeout(done, ms));

describe('runner controls', () => {
  describe('configure({ concurrency })', () => {
    it('runs no more lists at once than allowed', async () => {
      const { runner } = isolatedRunner();
      runner.configure({ concurrency: 2 });
      const log: string[] = [];
      const held = ['a', 'b', 'c', 'd'].map((name) => heldTask(name, log));
      for (const { task } of held) runner.schedule([task]);

      await turn();
      expect(log).to.deep.equal(['start a', 'start b']);
      expect(runner.stats()).to.include({ running: 2, waiting: 2 });

      held.forEach(({ release }) => release());
      await runner.drain();
      expect(runner.stats()).to.include({ running: 0, completed: 4 });
    });

    it('starts waiting lists in the order they came', async () => {
      const { runner } = isolatedRunner();
      runner.configure({ concurrency: 1 });
      const log: string[] = [];
      const held = ['a', 'b', 'c'].map((name) => heldTask(name, log));
      for (const { task } of held) runner.schedule([task]);

      held[2]?.release();
      held[1]?.release();
      await turn();
      expect(log).to.deep.equal(['start a']);
      held[0]?.release();
      await runner.drain();
      expect(log).to.deep.equal([
        'start a',
        'end a',
        'start b',
        'end b',
        'start c',
        'end c',
      ]);
    });

    it('keeps the order over thousands of waiting lists', async () => {
      const { runner } = isolatedRunner();
      runner.configure({ concurrency: 1 });
      const order: number[] = [];
      const record = async (index: number): Promise<number> =>
        order.push(index);
      for (let index = 0; index < 3000; index++) {
        runner.schedule([new BackgroundTask(record, index)]);
      }
      await runner.drain();

      expect(order).to.have.length(3000);
      expect(order.every((value, index) => value === index)).to.equal(true);
    });

    it('runs thousands of waiting sync lists one after another', async () => {
      const { runner } = isolatedRunner();
      runner.configure({ concurrency: 1 });
      const held = heldTask('held', []);
      runner.schedule([held.task]);
      const order: number[] = [];
      const record = (index: number): number => order.push(index);
      for (let index = 0; index < 20_000; index++) {
        runner.schedule([new BackgroundTask(record, index)]);
      }

      held.release();
      await runner.drain();

      expect(order).to.have.length(20_000);
      expect(order.every((value, index) => value === index)).to.equal(true);
    });

    it('starts waiting lists when a later call raises the limit', async () => {
      const { runner } = isolatedRunner();
      runner.configure({ concurrency: 1 });
      const log: string[] = [];
      const held = ['a', 'b', 'c'].map((name) => heldTask(name, log));
      for (const { task } of held) runner.schedule([task]);
      await turn();

      runner.configure({ concurrency: Infinity });
      expect(log).to.deep.equal(['start a', 'start b', 'start c']);
      held.forEach(({ release }) => release());
      await runner.drain();
    });

    describe('when a request waits for a slot', () => {
      recordTaskErrors();

      it("runs its tasks in the request's async context", async () => {
        configure({ concurrency: 1 });
        const requestId = new AsyncLocalStorage<string>();
        const first = deferred();
        const seen: (string | undefined)[] = [];
        const remember = async (wait: boolean): Promise<void> => {
          if (wait) await first.promise;
          seen.push(requestId.getStore());
        };
        const route = get('/job/:id', (req, ctx) => {
          ctx.background.addTask(remember, req.params.id === 'one');
          return 'queued';
        });
        const app = express();
        app.use((req, _res, next) => {
          requestId.run(req.path, next);
        });
        app.use(route);

        await request(app).get('/job/one').expect(200);
        await request(app).get('/job/two').expect(200);
        await turn();
        expect(stats()).to.include({ running: 1, waiting: 1 });
        first.resolve();
        await drain();
        expect(seen).to.deep.equal(['/job/one', '/job/two']);
      });
    });
  });

  describe('configure({ maxPending })', () => {
    it('refuses a list beyond the limit and reports it', async () => {
      const { runner, reported } = isolatedRunner();
      runner.configure({ concurrency: 1, maxPending: 1 });
      const log: string[] = [];
      const running = heldTask('running', log);
      const waiting = heldTask('waiting', log);
      runner.schedule([running.task]);
      runner.schedule([waiting.task]);
      const refused = [
        namedTask('sendReceipt', () => log.push('sendReceipt')),
        namedTask('updateLedger', () => log.push('updateLedger')),
      ];
      runner.schedule(refused, { method: 'POST', url: '/orders?coupon=x' });

      expect(reported).to.have.length(1);
      const [{ error, info }] = reported as [Report];
      expect(error).to.be.instanceOf(OverloadError);
      expect((error as OverloadError).maxPending).to.equal(1);
      expect(info).to.deep.equal({
        task: 'sendReceipt',
        skipped: ['updateLedger'],
        request: { method: 'POST', path: '/orders' },
      });

      running.release();
      waiting.release();
      await runner.drain();
      expect(log).not.to.include('sendReceipt');
      expect(runner.stats()).to.include({ overloaded: 2, completed: 2 });
    });

    it('lets no list wait when it is 0', async () => {
      const { runner, reported } = isolatedRunner();
      runner.configure({ concurrency: 1, maxPending: 0 });
      const log: string[] = [];
      const running = heldTask('running', log);
      runner.schedule([running.task]);
      runner.schedule([namedTask('late', () => log.push('late'))]);

      expect(reported.map(({ info }) => info.task)).to.deep.equal(['late']);
      running.release();
      await runner.drain();
      expect(log).to.deep.equal(['start running', 'end running']);
    });
  });

  describe('configure({ timeout })', () => {
    it('fails the task with a TimeoutError and skips the rest', async () => {
      const { runner, reported } = isolatedRunner();
      runner.configure({ timeout: 20 });
      const log: string[] = [];
      const stuck = heldTask('chargeCard', log);
      runner.schedule(
        [stuck.task, namedTask('sendReceipt', () => log.push('receipt'))],
        { method: 'POST', url: '/pay' },
      );
      await runner.drain();

      expect(reported).to.have.length(1);
      const [{ error, info }] = reported as [Report];
      expect(error).to.be.instanceOf(TimeoutError);
      expect((error as Error).message).to.equal(
        'Task "chargeCard" timed out after 20 ms',
      );
      expect(error).to.include({ task: 'chargeCard', timeout: 20 });
      expect(info).to.deep.equal({
        task: 'chargeCard',
        skipped: ['sendReceipt'],
        request: { method: 'POST', path: '/pay' },
      });
      expect(log).to.deep.equal(['start chargeCard']);
      expect(runner.stats()).to.include({
        failed: 1,
        timedOut: 1,
        skipped: 1,
        running: 0,
      });
      stuck.release();
    });

    it('frees the slot for the next waiting list', async () => {
      const { runner } = isolatedRunner();
      runner.configure({ concurrency: 1, timeout: 20 });
      const log: string[] = [];
      const stuck = heldTask('stuck', log);
      runner.schedule([stuck.task]);
      runner.schedule([namedTask('next', () => log.push('next'))]);
      await runner.drain();

      expect(log).to.deep.equal(['start stuck', 'next']);
      stuck.release();
    });

    it('aborts the task signal with the TimeoutError', async () => {
      const { runner, reported } = isolatedRunner();
      runner.configure({ timeout: 20 });
      const reasons: unknown[] = [];
      const listen = (): Promise<void> => {
        const signal = taskSignal();
        return new Promise((settle) => {
          signal.addEventListener('abort', () => {
            reasons.push(signal.reason);
            settle();
          });
        });
      };
      runner.schedule([new BackgroundTask(listen)]);
      await runner.drain();

      expect(reasons).to.have.length(1);
      expect(reasons[0]).to.equal(reported[0]?.error);
      expect(reasons[0]).to.be.instanceOf(TimeoutError);
    });

    it('leaves alone tasks that finish in time', async () => {
      const { runner, reported } = isolatedRunner();
      runner.configure({ timeout: 200 });
      const signals: AbortSignal[] = [];
      const quick = async (): Promise<void> => {
        signals.push(taskSignal());
        await sleep(5);
      };
      runner.schedule([new BackgroundTask(quick), new BackgroundTask(quick)]);
      await runner.drain();

      expect(reported).to.deep.equal([]);
      expect(signals.map((signal) => signal.aborted)).to.deep.equal([
        false,
        false,
      ]);
      expect(runner.stats()).to.include({ completed: 2, failed: 0 });
    });

    it('leaves the signal of a task called outside the runner unaborted', () => {
      expect(taskSignal().aborted).to.equal(false);
    });

    it('aborts a signal taken outside any task when shutdown gives up', () => {
      const { runner } = isolatedRunner();
      const signal = taskSignal();

      runner.abandon();

      expect(signal.aborted).to.equal(true);
      expect(signal.reason).to.be.instanceOf(AbandonedError);
      expect(taskSignal().aborted).to.equal(false);
    });
  });

  describe('configure() called again', () => {
    it('changes only the keys it names', async () => {
      const { runner, reported } = isolatedRunner();
      runner.configure({ concurrency: 1, maxPending: 0 });
      runner.configure({ timeout: 1000 });
      const log: string[] = [];
      const running = heldTask('running', log);
      runner.schedule([running.task]);
      runner.schedule([namedTask('refused', () => log.push('refused'))]);

      expect(reported.map(({ info }) => info.task)).to.deep.equal(['refused']);
      running.release();
      await runner.drain();
    });

    it('puts a key given as undefined back to its default', async () => {
      const { runner } = isolatedRunner();
      runner.configure({ concurrency: 1 });
      runner.configure({ concurrency: undefined });
      const log: string[] = [];
      const held = ['a', 'b'].map((name) => heldTask(name, log));
      for (const { task } of held) runner.schedule([task]);

      expect(log).to.deep.equal(['start a', 'start b']);
      held.forEach(({ release }) => release());
      await runner.drain();
    });

    it('takes Infinity for every limit', async () => {
      const { runner } = isolatedRunner();
      runner.configure({ concurrency: 1, maxPending: 1, timeout: 5 });
      runner.configure({
        concurrency: Infinity,
        maxPending: Infinity,
        timeout: Infinity,
      });
      const log: string[] = [];
      const held = ['a', 'b', 'c'].map((name) => heldTask(name, log));
      for (const { task } of held) runner.schedule([task]);
      await sleep(15);

      expect(log).to.deep.equal(['start a', 'start b', 'start c']);
      expect(runner.stats()).to.include({ running: 3, failed: 0 });
      held.forEach(({ release }) => release());
      await runner.drain();
    });
  });

  describe('stats()', () => {
    it('accounts for every task once, while running and after', async () => {
      const { runner } = isolatedRunner();
      runner.configure({ concurrency: 2, maxPending: 2, timeout: 30 });
      const log: string[] = [];
      const held = ['a', 'b', 'c'].map((name) => heldTask(name, log));
      const fail = namedTask('fail', () => {
        throw new Error('no');
      });
      const after = namedTask('after', () => undefined);
      runner.schedule([held[0]!.task, fail, after]);
      runner.schedule([held[1]!.task]);
      runner.schedule([held[2]!.task, after]);
      runner.schedule([after]);
      runner.schedule([after, after]);

      const during = runner.stats();
      expect(during).to.include({
        scheduled: 9,
        running: 2,
        waiting: 5,
        overloaded: 2,
      });
      expect(accounted(during)).to.equal(during.scheduled);

      held[0]!.release();
      await runner.drain();
      const done = runner.stats();
      expect(done).to.include({
        scheduled: 9,
        completed: 2,
        failed: 3,
        timedOut: 2,
        skipped: 2,
        overloaded: 2,
        waiting: 0,
        running: 0,
      });
      expect(accounted(done)).to.equal(done.scheduled);
      held.forEach(({ release }) => release());
    });
  });

  describe('reserve(request)', () => {
    it('takes the tasks of a reservation once', async () => {
      const { runner } = isolatedRunner();
      const log: string[] = [];
      const reservation = runner.reserve();
      reservation.schedule([namedTask('once', () => log.push('once'))]);
      reservation.schedule([namedTask('twice', () => log.push('twice'))]);
      reservation.cancel();
      await runner.drain();

      expect(log).to.deep.equal(['once']);
      expect(runner.stats()).to.include({ scheduled: 1, awaiting: 0 });
    });

    it('runs nothing for a reservation cancelled first', async () => {
      const { runner } = isolatedRunner();
      const log: string[] = [];
      const reservation = runner.reserve();
      reservation.cancel();
      reservation.cancel();
      reservation.schedule([namedTask('late', () => log.push('late'))]);
      await runner.drain();

      expect(log).to.deep.equal([]);
      expect(runner.stats()).to.include({ scheduled: 0, awaiting: 0 });
    });
  });

  describe('abandon()', () => {
    it('gives up on running and waiting tasks and names them', async () => {
      const { runner, reported } = isolatedRunner();
      runner.configure({ concurrency: 1 });
      const log: string[] = [];
      const reasons: unknown[] = [];
      const slow = async (): Promise<void> => {
        const signal = taskSignal();
        await new Promise((settle) => {
          signal.addEventListener('abort', settle);
        });
        reasons.push(signal.reason);
      };
      const later = namedTask('later', () => log.push('later'));
      runner.schedule([new BackgroundTask(slow), later], {
        method: 'POST',
        url: '/a',
      });
      runner.schedule([later], { method: 'POST', url: '/b' });
      await turn();

      expect(runner.abandon()).to.deep.equal(['slow', 'later', 'later']);
      expect(reported.map(({ error }) => error)).to.satisfy(
        (errors: unknown[]) =>
          errors.every((error) => error instanceof AbandonedError),
      );
      expect(reported.map(({ info }) => info)).to.deep.equal([
        {
          task: 'slow',
          skipped: ['later'],
          request: { method: 'POST', path: '/a' },
        },
        { task: 'later', skipped: [], request: { method: 'POST', path: '/b' } },
      ]);
      const counts = runner.stats();
      expect(counts).to.include({ abandoned: 3, running: 0, waiting: 0 });
      expect(accounted(counts)).to.equal(counts.scheduled);

      await runner.drain();
      expect(reasons).to.have.length(1);
      expect(reasons[0]).to.be.instanceOf(AbandonedError);
      expect(log).to.deep.equal([]);
      expect(runner.stats()).to.include({ completed: 0, abandoned: 3 });
    });

    it('gives up on the tasks of requests still in progress', async () => {
      const { runner, reported } = isolatedRunner();
      const log: string[] = [];
      const inProgress = runner.reserve({ method: 'GET', url: '/slow' });
      expect(runner.abandon()).to.deep.equal([]);
      inProgress.schedule([namedTask('late', () => log.push('late'))]);

      expect(reported.map(({ info }) => info.task)).to.deep.equal(['late']);
      expect(reported[0]?.error).to.be.instanceOf(AbandonedError);
      await runner.drain();
      expect(log).to.deep.equal([]);
    });

    it('counts a running task given up on once, whatever it does next', async () => {
      const { runner, reported } = isolatedRunner();
      const gate = deferred();
      const failLater = async (): Promise<void> => {
        await gate.promise;
        throw new Error('too late');
      };
      runner.schedule([new BackgroundTask(failLater)]);
      await turn();
      expect(runner.abandon()).to.deep.equal(['failLater']);
      gate.resolve();
      await runner.drain();

      expect(reported).to.have.length(1);
      expect(runner.stats()).to.include({ abandoned: 1, failed: 0 });
    });

    it('frees the slot of a task that never settles', async () => {
      const { runner } = isolatedRunner();
      runner.configure({ concurrency: 1 });
      const log: string[] = [];
      const forever = (): Promise<never> => new Promise(() => {});
      runner.schedule([new BackgroundTask(forever)]);
      await turn();
      runner.abandon();
      runner.schedule([namedTask('next', () => log.push('next'))]);
      await runner.drain();

      expect(log).to.deep.equal(['next']);
      expect(runner.stats()).to.include({ running: 0, abandoned: 1 });
    });

    it('runs the tasks of requests that start afterwards', async () => {
      const { runner, reported } = isolatedRunner();
      runner.abandon();
      const log: string[] = [];
      runner.schedule([namedTask('fresh', () => log.push('fresh'))]);
      await runner.drain();

      expect(log).to.deep.equal(['fresh']);
      expect(reported).to.deep.equal([]);
    });
  });
});
