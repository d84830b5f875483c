import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import express from 'express';
import {
  AbandonedError,
  BackgroundTask,
  closeGracefully,
  drain,
  get,
  shutdownSignal,
  taskSignal,
} from '../index';
import { deferred, recordTaskErrors } from './support/app';
import { getOnce, listenOnLoopback } from './support/server';

const root = join(__dirname, '..');

function serverFor(...routers: express.Router[]): http.Server {
  const app = express();
  for (const router of routers) app.use(router);
  return http.createServer(app);
}

describe('closeGracefully(server, { timeout })', () => {
  const reported = recordTaskErrors();

  describe('when requests and tasks finish in time', () => {
    it('waits for the request in flight, then for its tasks', async () => {
      const arrived = deferred();
      const handlerGate = deferred();
      const taskGate = deferred();
      const done: string[] = [];
      const sendEmail = async (to: string): Promise<void> => {
        await taskGate.promise;
        done.push(to);
      };
      const server = serverFor(
        get('/slow', async (_req, ctx) => {
          arrived.resolve();
          await handlerGate.promise;
          ctx.background.addTask(sendEmail, 'ada@example.com');
          return { ok: true };
        }),
      );
      const port = await listenOnLoopback(server);

      const inFlight = getOnce(port, '/slow');
      await arrived.promise;
      const closing = closeGracefully(server, { timeout: 5000 });
      handlerGate.resolve();
      expect((await inFlight).status).to.equal(200);
      taskGate.resolve();

      expect(await closing).to.deep.equal({
        completed: 1,
        failed: 0,
        abandoned: [],
        requestsFinished: true,
      });
      expect(done).to.deep.equal(['ada@example.com']);
      expect(server.listening).to.equal(false);
    });

    it('closes idle keep-alive connections at once', async () => {
      const server = serverFor(get('/ping', () => 'pong'));
      const port = await listenOnLoopback(server);
      const agent = new http.Agent({ keepAlive: true });
      await getOnce(port, '/ping', agent);

      const started = Date.now();
      const result = await closeGracefully(server);
      expect(result.requestsFinished).to.equal(true);
      expect(Date.now() - started).to.be.below(1000);
      agent.destroy();
    });

    it('closes a keep-alive connection once its request is done', async () => {
      const arrived = deferred();
      const gate = deferred();
      const server = serverFor(
        get('/slow', async () => {
          arrived.resolve();
          await gate.promise;
          return 'done';
        }),
      );
      const port = await listenOnLoopback(server);
      const agent = new http.Agent({ keepAlive: true });
      const inFlight = getOnce(port, '/slow', agent);
      await arrived.promise;

      const closing = closeGracefully(server, { timeout: 5000 });
      gate.resolve();
      const answer = await inFlight;
      const closedAt = Date.now();
      expect(answer.headers.connection).to.equal('keep-alive');
      expect((await closing).requestsFinished).to.equal(true);
      // Far sooner than the server's keep-alive timeout of 5 s.
      expect(Date.now() - closedAt).to.be.below(1000);
      agent.destroy();
    });

    it('closes a keep-alive connection after the request it brings', async () => {
      const arrived = deferred();
      const gate = deferred();
      const server = serverFor(
        get('/first', async () => {
          arrived.resolve();
          await gate.promise;
          return 'first';
        }),
        get('/second', () => 'second'),
      );
      const port = await listenOnLoopback(server);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const first = getOnce(port, '/first', agent);
      const second = getOnce(port, '/second', agent);
      await arrived.promise;

      const closing = closeGracefully(server, { timeout: 5000 });
      gate.resolve();
      expect((await first).status).to.equal(200);
      const answer = await second;
      expect(answer.status).to.equal(200);
      expect(answer.headers.connection).to.equal('close');
      expect((await closing).requestsFinished).to.equal(true);
      agent.destroy();
    });

    it('waits as long as it takes with timeout: Infinity', async () => {
      const arrived = deferred();
      const gate = deferred();
      const server = serverFor(
        get('/slow', async () => {
          arrived.resolve();
          await gate.promise;
          return 'done';
        }),
      );
      const port = await listenOnLoopback(server);
      const inFlight = getOnce(port, '/slow');
      await arrived.promise;
      const closing = closeGracefully(server, { timeout: Infinity });
      setTimeout(gate.resolve, 30);

      expect((await inFlight).status).to.equal(200);
      expect((await closing).requestsFinished).to.equal(true);
    });

    it('lets a long task see shutdownSignal() and wrap up', async () => {
      const steps: number[] = [];
      async function reindexAll(): Promise<void> {
        for (let step = 0; step < 1000; step++) {
          if (shutdownSignal().aborted) return;
          steps.push(step);
          await new Promise((settle) => setTimeout(settle, 2));
        }
      }
      const server = serverFor(
        get('/reindex', new BackgroundTask(reindexAll), () => 'started'),
      );
      const port = await listenOnLoopback(server);
      await getOnce(port, '/reindex');
      await new Promise((settle) => setTimeout(settle, 20));

      expect(shutdownSignal().aborted).to.equal(false);
      const closing = closeGracefully(server, { timeout: 5000 });
      expect(shutdownSignal().aborted).to.equal(true);
      expect(await closing).to.deep.include({ completed: 1, abandoned: [] });
      expect(steps.length).to.be.above(0).and.below(1000);
      expect(shutdownSignal().aborted).to.equal(false);
    });

    it('resolves for a server that is not listening', async () => {
      const server = serverFor();
      expect(await closeGracefully(server, { timeout: 100 })).to.deep.equal({
        completed: 0,
        failed: 0,
        abandoned: [],
        requestsFinished: true,
      });
    });
  });

  describe('when tasks are still running at the timeout', () => {
    it('abandons them, names them and aborts their signal', async () => {
      const reasons: unknown[] = [];
      async function syncInventory(): Promise<void> {
        const signal = taskSignal();
        await new Promise((settle) => {
          signal.addEventListener('abort', settle);
        });
        reasons.push(signal.reason);
      }
      function notifyWarehouse(): void {}
      const server = serverFor(
        get('/stock', (_req, ctx) => {
          ctx.background
            .addTask(syncInventory)
            .addTask(notifyWarehouse);
          return 'ok';
        }),
      );
      const port = await listenOnLoopback(server);
      await getOnce(port, '/stock');

      const result = await closeGracefully(server, { timeout: 50 });
      expect(result).to.deep.equal({
        completed: 0,
        failed: 0,
        abandoned: ['syncInventory', 'notifyWarehouse'],
        requestsFinished: true,
      });
      expect(reported).to.have.length(1);
      expect(reported[0]?.error).to.be.instanceOf(AbandonedError);
      expect(reported[0]?.info).to.deep.equal({
        task: 'syncInventory',
        skipped: ['notifyWarehouse'],
        request: { method: 'GET', path: '/stock' },
      });
      await new Promise((settle) => setImmediate(settle));
      expect(reasons[0]).to.be.instanceOf(AbandonedError);
    });
  });

  describe('when a request is still open at the timeout', () => {
    it('cuts it off and abandons its tasks when they come', async () => {
      const arrived = deferred();
      const gate = deferred();
      const ran: string[] = [];
      function audit(): void {
        ran.push('audit');
      }
      const server = serverFor(
        get('/hang', new BackgroundTask(audit), async () => {
          arrived.resolve();
          await gate.promise;
          return 'late';
        }),
      );
      const port = await listenOnLoopback(server);
      const hanging = getOnce(port, '/hang').catch((error: Error) => error);
      await arrived.promise;

      const result = await closeGracefully(server, { timeout: 50 });
      expect(result.requestsFinished).to.equal(false);
      expect(await hanging).to.be.instanceOf(Error);
      gate.resolve();
      await drain();

      expect(ran).to.deep.equal([]);
      expect(reported.map(({ info }) => info.task)).to.deep.equal(['audit']);
      expect(reported[0]?.error).to.be.instanceOf(AbandonedError);
    });
  });

  describe('the sample server on SIGTERM', function () {
    this.timeout(30_000);
    let directory: string;

    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'express-background-tasks-'));
    });
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it('runs the tasks of every answered request, then exits 0', async () => {
      const auditLog = join(directory, 'audit.log');
      const server = await startSampleServer({ AUDIT_LOG: auditLog });

      const answered = { '/log': 0, '/send-notification': 0 };
      let sent = 0;
      let refused = 0;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
      const client = async (path: keyof typeof answered): Promise<void> => {
        // Bounded, in case the server never stops answering.
        while (sent < 5000) {
          sent++;
          try {
            const { status } = await getOnce(server.port, path, agent);
            if (status === 200) answered[path]++;
          } catch {
            refused++;
            return;
          }
          if (sent === 150) server.child.kill('SIGTERM');
        }
      };
      const paths = ['/log', '/send-notification'] as const;
      const clients = Array.from({ length: 8 }, (_, index) =>
        client(paths[index % 2] as keyof typeof answered),
      );
      await Promise.all(clients);
      const exitCode = await server.exited;
      agent.destroy();

      expect(exitCode).to.equal(0);
      expect(refused).to.equal(8);
      expect(answered['/log']).to.be.above(50);
      const lines = readFileSync(auditLog, 'utf8').trim().split('\n');
      expect(lines.length).to.be.at.least(answered['/log']);
      const notified = server.output().filter((line) =>
        line.startsWith('[task] notified'),
      );
      expect(notified.length).to.be.at.least(answered['/send-notification']);
      expect(server.output().join('\n')).not.to.match(/abandoned/);
    });
  });
});

interface SampleServer {
  child: ReturnType<typeof spawn>;
  port: number;
  exited: Promise<number | null>;
  output(): string[];
}

/** Starts `samples/server.ts` on a free port, on this run's Express. */
function startSampleServer(env: Record<string, string>): Promise<SampleServer> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      'tsx/cjs',
      '--require',
      './spec/support/resolve.ts',
      'samples/server.ts',
    ],
    {
      cwd: root,
      env: { ...process.env, ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  let partial = '';
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
  });
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const listening = /listening on http:\/\/localhost:(\d+)/.exec(line);
        if (listening) {
          resolve({
            child,
            port: Number(listening[1]),
            exited,
            output: () => lines,
          });
        }
      }
    });
    void exited.then((code) => reject(new Error(`exited early: ${code}`)));
  });
}
