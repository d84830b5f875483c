// Serves 100 000 requests with tasks on loopback, then a chaos round, and
// prints throughput, heap before and after, and the chaos figures.
// Run with `npm run soak` (it needs node's --expose-gc).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  BackgroundTask,
  BackgroundTasks,
  drain,
  json,
  post,
  stats,
} from '../index';
import { runChaos } from './chaos';

const requests = Number(process.env.SOAK_REQUESTS ?? 100_000);
const clients = Number(process.env.SOAK_CLIENTS ?? 32);
const warmUp = 2_000;
/** Heap growth, in bytes, past which the soak fails. */
const heapBudget = 10 * 1024 * 1024;

const ran = { route: 0, handler: 0, response: 0 };

function countRouteTask(): void {
  ran.route++;
}

async function countHandlerTask(id: string): Promise<void> {
  await new Promise((settle) => setImmediate(settle));
  if (id.length > 0) ran.handler++;
}

function countResponseTask(body: { id: string }): void {
  if (body.id.length > 0) ran.response++;
}

function soakApp(): express.Express {
  const app = express();
  app.use(express.json());
  // The same answer without tasks, for a baseline.
  app.post('/plain/:id', (req, res) => {
    res.status(201).json({ id: req.params.id });
  });
  app.use(
    post('/items/:id', new BackgroundTask(countRouteTask), (req, ctx) => {
      ctx.background.addTask(countHandlerTask, req.params.id);
      const body = { id: req.params.id };
      const carried = new BackgroundTasks().addTask(countResponseTask, body);
      return json(body, carried);
    }),
  );
  return app;
}

async function serve(
  port: number,
  count: number,
  offset: number,
  prefix = '/items',
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < count) {
      const id = offset + next++;
      await postOnce(port, `${prefix}/${id}`, agent);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  agent.destroy();
}

function postOnce(port: number, path: string, agent: http.Agent) {
  return new Promise<void>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent },
      (res) => {
        if (res.statusCode !== 201) {
          reject(new Error(`${path} answered ${res.statusCode}`));
        }
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The heap after collecting garbage until it stops shrinking. */
async function settledHeap(): Promise<number> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) {
    throw new Error('Run with node --expose-gc (npm run soak does)');
  }
  let heap = Infinity;
  for (let round = 0; round < 10; round++) {
    collect();
    await new Promise((settle) => setTimeout(settle, 20));
    const now = process.memoryUsage().heapUsed;
    if (now >= heap) break;
    heap = now;
  }
  return heap;
}

const megabytes = (bytes: number): string =>
  `${(bytes / 1024 / 1024).toFixed(2)} MB`;

async function main(): Promise<void> {
  const server = http.createServer(soakApp());
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;

  await serve(port, warmUp, 0);
  await drain();
  const heapBefore = await settledHeap();

  const started = process.hrtime.bigint();
  await serve(port, requests, warmUp);
  const served = process.hrtime.bigint();
  await drain();
  const seconds = Number(served - started) / 1e9;
  const heapAfter = await settledHeap();

  const baselineRequests = Math.ceil(requests / 5);
  const baselineStarted = process.hrtime.bigint();
  await serve(port, baselineRequests, 0, '/plain');
  const baselineSeconds =
    Number(process.hrtime.bigint() - baselineStarted) / 1e9;
  await new Promise((closed) => server.close(closed));

  const expected = warmUp + requests;
  const allRan =
    ran.route === expected &&
    ran.handler === expected &&
    ran.response === expected;
  const growth = heapAfter - heapBefore;
  const counts = stats();

  console.log(`soak: ${requests} requests, ${clients} clients, ` +
    `Express ${require('express/package.json').version}, ` +
    `Node ${process.version}`);
  console.log(`  requests/s      ${Math.round(requests / seconds)} ` +
    `(plain Express, same answer, no tasks: ` +
    `${Math.round(baselineRequests / baselineSeconds)})`);
  console.log(`  tasks/s         ${Math.round((3 * requests) / seconds)}`);
  console.log(`  tasks run       ${allRan ? 'all' : 'NOT ALL'} ` +
    `(${ran.route + ran.handler + ran.response} of ${3 * expected})`);
  console.log(`  heap before     ${megabytes(heapBefore)}`);
  console.log(`  heap after      ${megabytes(heapAfter)}`);
  console.log(`  heap growth     ${megabytes(growth)} ` +
    `(budget ${megabytes(heapBudget)})`);
  console.log(`  failed          ${counts.failed}`);

  const chaos = await runChaos({ requests: 3000 });
  const heapAfterChaos = await settledHeap();
  const { ledger } = chaos;
  console.log(`chaos: ${chaos.requests} requests in ` +
    `${chaos.seconds.toFixed(1)} s`);
  console.log(`  answers         ${JSON.stringify(chaos.answers)}`);
  console.log(`  tasks           ${ledger.tasks}: ` +
    `${ledger.completed} completed, ${ledger.failed} failed, ` +
    `${ledger.timedOut} timed out, ${ledger.skipped} skipped, ` +
    `${ledger.overloaded} overloaded`);
  console.log(`  signals aborted ${chaos.signalsAborted}`);
  console.log(`  accounting      ${chaos.problems.length} problems; ` +
    `stats() ${matches(chaos) ? 'matches' : 'DOES NOT MATCH'}`);
  console.log(`  escaped         ${chaos.unhandledRejections} unhandled ` +
    `rejections, ${chaos.uncaughtExceptions} uncaught exceptions`);
  console.log(`  heap after      ${megabytes(heapAfterChaos)}`);

  const passed =
    allRan &&
    growth <= heapBudget &&
    chaos.problems.length === 0 &&
    matches(chaos) &&
    chaos.unhandledRejections + chaos.uncaughtExceptions === 0;
  console.log(passed ? 'soak passed' : 'soak FAILED');
  process.exitCode = passed ? 0 : 1;
}

function matches(chaos: Awaited<ReturnType<typeof runChaos>>): boolean {
  const { ledger, stats: counted } = chaos;
  return (
    counted.scheduled === ledger.tasks &&
    counted.completed === ledger.completed &&
    counted.failed === ledger.failed + ledger.timedOut &&
    counted.timedOut === ledger.timedOut &&
    counted.skipped === ledger.skipped &&
    counted.overloaded === ledger.overloaded
  );
}

void main();
