import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import express from 'express';
import {
  BackgroundTask,
  configure,
  drain,
  get,
  stats,
  stream,
  taskSignal,
  type RunnerStats,
} from '../index';
import { type LedgerTotals, statsDelta, TaskLedger } from './task-ledger';

/** What a task does when it runs. */
type Behaviour =
  | 'sync'
  | 'async'
  | 'throw'
  | 'reject'
  | 'hang'
  | 'stall'
  | 'held';

/** What the client does with its request. */
type ClientMove = 'complete' | 'abortInHandler' | 'abortInResponse';

interface Plan {
  move: ClientMove;
  /** The handler throws after adding its tasks: they must never run. */
  handlerThrows: boolean;
  tasks: [Behaviour, Behaviour];
}

export interface ChaosOptions {
  requests: number;
  /** Requests in flight at once. */
  clients?: number;
  seed?: number;
  concurrency?: number;
  maxPending?: number;
  /** The task timeout, in ms. */
  timeout?: number;
}

export interface ChaosResult {
  requests: number;
  seconds: number;
  /** Answers by status; `aborted` for the requests the client cut. */
  answers: Record<string, number>;
  /** What the tasks' own books say. */
  ledger: LedgerTotals;
  /** What `stats()` says changed during the run. */
  stats: RunnerStats;
  /** Tasks run or reported more than once, or never. */
  problems: string[];
  /** Tasks whose signal aborted with the TimeoutError. */
  signalsAborted: number;
  unhandledRejections: number;
  uncaughtExceptions: number;
}

/**
 * Serves a few thousand requests whose tasks throw, reject or hang, some
 * cut off by their client mid-handler or mid-response, and returns how
 * every task was accounted for.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const clients = options.clients ?? 32;
  const limits = {
    concurrency: options.concurrency ?? 12,
    maxPending: options.maxPending ?? 24,
  };
  // More lists than the limits hold, so some are surely refused.
  const burst = limits.concurrency + limits.maxPending + 8;
  const plans = makePlans(options.requests, options.seed ?? 1, burst);
  const world: ChaosWorld = {
    plans,
    ledger: new TaskLedger(),
    signalsAborted: 0,
    release: deferred(),
  };
  const faults = { unhandledRejections: 0, uncaughtExceptions: 0 };
  const onRejection = (): number => faults.unhandledRejections++;
  const onException = (): number => faults.uncaughtExceptions++;
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  const server = http.createServer(chaosApp(world));
  try {
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const { port } = server.address() as AddressInfo;
    const before = stats();
    const started = process.hrtime.bigint();

    // The burst's tasks hold their slots until every list of it has come.
    configure({ onError: world.ledger.onError, ...limits, timeout: Infinity });
    const opening = await sendAll(port, plans.slice(0, burst), 0, burst);
    while (stats().awaiting > 0) {
      await new Promise((settle) => setImmediate(settle));
    }
    world.release.resolve();
    configure({ timeout: options.timeout ?? 40 });
    const rest = await sendAll(port, plans.slice(burst), burst, clients);
    await drain();

    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      requests: plans.length,
      seconds,
      answers: addCounts(opening, rest),
      ledger: world.ledger.totals(),
      stats: statsDelta(before, stats()),
      problems: world.ledger.problems(),
      signalsAborted: world.signalsAborted,
      ...faults,
    };
  } finally {
    await new Promise((closed) => server.close(closed));
    configure({
      onError: undefined,
      concurrency: undefined,
      maxPending: undefined,
      timeout: undefined,
    });
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  }
}

/** What the chaos app and its tasks share. */
interface ChaosWorld {
  readonly plans: readonly Plan[];
  readonly ledger: TaskLedger;
  signalsAborted: number;
  /** Lets the held tasks of the opening burst go. */
  readonly release: { promise: Promise<void>; resolve: () => void };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

function addCounts(
  ...counts: Record<string, number>[]
): Record<string, number> {
  const total: Record<string, number> = {};
  for (const each of counts) {
    for (const [key, value] of Object.entries(each)) {
      total[key] = (total[key] ?? 0) + value;
    }
  }
  return total;
}

/** A small seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function makePlans(count: number, seed: number, burst: number): Plan[] {
  const next = random(seed);
  // One task in ten fails: it throws, rejects, or hangs past the timeout.
  const behaviour = (): Behaviour => {
    const roll = next();
    if (roll < 0.025) return 'throw';
    if (roll < 0.05) return 'reject';
    if (roll < 0.075) return 'hang';
    if (roll < 0.1) return 'stall';
    return roll < 0.55 ? 'sync' : 'async';
  };
  return Array.from({ length: count }, (_, index): Plan => {
    if (index < burst) {
      return { move: 'complete', handlerThrows: false, tasks: ['held', 'sync'] };
    }
    const roll = next();
    const move: ClientMove =
      roll < 0.05
        ? 'abortInHandler'
        : roll < 0.1
          ? 'abortInResponse'
          : 'complete';
    return {
      move,
      handlerThrows: move === 'complete' && next() < 0.02,
      tasks: [behaviour(), behaviour()],
    };
  });
}

function chaosApp(world: ChaosWorld): express.Express {
  const { plans, ledger } = world;
  const makeTask = (name: string, behaviour: Behaviour): BackgroundTask => {
    const body = {
      [name]: (): unknown => {
        ledger.started(name);
        return behave(behaviour, () => ledger.completed(name), world);
      },
    }[name] as () => unknown;
    ledger.created(name);
    return new BackgroundTask(body);
  };

  const app = express();
  app.use(
    get('/chaos/:id', async (req, ctx) => {
      const id = Number(req.params.id);
      const plan = plans[id] as Plan;
      if (plan.move === 'abortInHandler') await delay(15);
      if (plan.handlerThrows) {
        ctx.background.addTask(() => ledger.started(`never-${id}`));
        throw new Error('handler failed');
      }
      plan.tasks.forEach((behaviour, index) => {
        ctx.background.addTask(makeTask(`t${id}-${index}`, behaviour));
      });
      if (plan.move !== 'abortInResponse') return { id };
      return stream(slowBody());
    }),
  );
  app.use(function answerError(
    error: Error,
    _req: express.Request,
    res: express.Response,
    next: express.NextFunction,
  ) {
    if (res.headersSent) return next(error);
    res.status(500).end();
  });
  return app;
}

function behave(
  behaviour: Behaviour,
  finish: () => void,
  world: ChaosWorld,
): unknown {
  switch (behaviour) {
    case 'sync':
      return finish();
    case 'async':
      return delay(1).then(finish);
    case 'throw':
      throw new Error('task threw');
    case 'reject':
      return delay(1).then(() => Promise.reject(new Error('task rejected')));
    case 'hang':
      // Ignores its signal and never settles.
      return new Promise(() => {});
    case 'stall':
      // Waits until its signal says the time is up.
      return new Promise<void>((settle) => {
        const signal = taskSignal();
        signal.addEventListener('abort', () => {
          world.signalsAborted++;
          settle();
        });
      });
    case 'held':
      return world.release.promise.then(finish);
  }
}

/** A body sent in two parts, far enough apart for a client to leave. */
function slowBody(): Readable {
  return Readable.from(
    (async function* parts() {
      yield 'first part\n';
      await delay(15);
      yield 'second part\n';
    })(),
  );
}

async function sendAll(
  port: number,
  plans: readonly Plan[],
  firstId: number,
  clients: number,
): Promise<Record<string, number>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const answers: Record<string, number> = {};
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < plans.length) {
      const index = next++;
      const move = (plans[index] as Plan).move;
      const outcome = await send(port, firstId + index, move, agent);
      answers[outcome] = (answers[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  agent.destroy();
  return answers;
}

/** Sends one request; resolves with its status, or `aborted`. */
function send(
  port: number,
  id: number,
  move: ClientMove,
  agent: http.Agent,
): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get({
      host: '127.0.0.1',
      port,
      path: `/chaos/${id}`,
      // A cut connection must not go back to the pool.
      agent: move === 'complete' ? agent : false,
    });
    const aborted = (): void => resolve('aborted');
    req.on('error', aborted);
    if (move !== 'complete') req.on('close', aborted);
    if (move === 'abortInHandler') setTimeout(() => req.destroy(), 5);
    req.on('response', (res) => {
      if (move === 'abortInResponse') {
        res.on('error', aborted);
        res.once('data', () => req.destroy());
        return;
      }
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
    });
  });
}
