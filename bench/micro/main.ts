import http from 'node:http';
import net from 'node:net';
import type * as Runner from '../../lib/runner';
import { library } from '../servers/library';
import type { MicroFigure, MicroResults } from './figures';
import {
  heapBytesPer,
  interleave,
  nanosecondsPerCall,
  nextTurn,
  type Variant,
} from './measure';

// Run pinned to one core by the driver: `node --expose-gc main.ts [--quick]`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {
  InProcessRunner,
  defaultRunner,
}: typeof Runner = require('../../dist/lib/runner.js');
const { BackgroundTask, runAfterResponse } = library;
const quick = process.argv.includes('--quick');
const rounds = quick ? 5 : 21;
const batch = quick ? 5_000 : 20_000;
const heapCount = quick ? 200_000 : 1_000_000;

function noop(): void {}
const task = new BackgroundTask(noop);

async function scheduling(): Promise<MicroFigure> {
  const runner = new InProcessRunner();
  const variants: Variant[] = [
    {
      label: 'setImmediate(task)',
      async measure() {
        const figure = nanosecondsPerCall(batch, () => setImmediate(noop));
        await nextTurn();
        return figure;
      },
    },
    {
      label: 'ours: runner.schedule([task])',
      async measure() {
        const figure = nanosecondsPerCall(batch, () => runner.schedule([task]));
        await runner.drain();
        return figure;
      },
    },
  ];
  return {
    title: 'Scheduling one task',
    unit: 'ns per task',
    higherIsBetter: false,
    target: { label: 'at most', value: 1000 },
    variants: await figuresOf(variants),
  };
}

async function attaching(): Promise<MicroFigure> {
  const makeResponses = () =>
    Array.from({ length: batch }, () => {
      const request = new http.IncomingMessage(new net.Socket());
      return new http.ServerResponse(request);
    });
  const finishAll = (responses: http.ServerResponse[]) => {
    for (const response of responses) {
      response.emit('finish');
      response.emit('close');
    }
  };
  const variants: Variant[] = [
    {
      label: "res.on('finish', () => setImmediate(task))",
      async measure() {
        const responses = makeResponses();
        const figure = nanosecondsPerCall(batch, (index) =>
          responses[index]!.on('finish', () => setImmediate(noop)),
        );
        finishAll(responses);
        await nextTurn();
        return figure;
      },
    },
    {
      label: 'ours: runAfterResponse(res, task)',
      async measure() {
        const responses = makeResponses();
        const figure = nanosecondsPerCall(batch, (index) =>
          runAfterResponse(responses[index]!, task),
        );
        finishAll(responses);
        await defaultRunner.drain();
        return figure;
      },
    },
  ];
  return {
    title: 'Attaching tasks to a response',
    unit: 'ns per response',
    higherIsBetter: false,
    variants: await figuresOf(variants),
  };
}

async function throughput(): Promise<MicroFigure> {
  const runner = new InProcessRunner();
  const count = batch * 5;
  const perSecond = async (run: () => Promise<void>) => {
    const start = process.hrtime.bigint();
    await run();
    return (count * 1e9) / Number(process.hrtime.bigint() - start);
  };
  const variants: Variant[] = [
    {
      label: 'setImmediate(task)',
      measure: () =>
        perSecond(async () => {
          for (let index = 0; index < count; index++) setImmediate(noop);
          await nextTurn();
        }),
    },
    {
      label: 'ours: runner.schedule([task]) then drain()',
      measure: () =>
        perSecond(async () => {
          for (let index = 0; index < count; index++) runner.schedule([task]);
          await runner.drain();
        }),
    },
  ];
  return {
    title: 'No-op tasks run',
    unit: 'tasks per second',
    higherIsBetter: true,
    target: { label: 'at least', value: 1_000_000 },
    variants: await figuresOf(variants),
  };
}

async function heap(): Promise<MicroFigure> {
  // One slot, held by a task that waits: every list scheduled after it
  // waits in the queue, which is what a queued task costs.
  const runner = new InProcessRunner();
  runner.configure({ concurrency: 1 });
  let release = (): void => {};
  const holdSlot = () =>
    new Promise<void>((resolve) => {
      release = resolve;
    });

  const variants: Variant[] = [
    {
      label: 'setImmediate(task)',
      measure: () =>
        heapBytesPer(
          heapCount,
          (count) => {
            for (let index = 0; index < count; index++) setImmediate(noop);
          },
          async () => {
            await nextTurn();
          },
        ),
    },
    {
      label: 'ours: runner.schedule([task]), concurrency 1, slot held',
      measure: () => {
        runner.schedule([new BackgroundTask(holdSlot)]);
        return heapBytesPer(
          heapCount,
          (count) => {
            for (let index = 0; index < count; index++) runner.schedule([task]);
          },
          async () => {
            release();
            await runner.drain();
          },
        );
      },
    },
  ];
  return {
    title: `Heap per queued task, ${heapCount.toLocaleString('en')} queued`,
    unit: 'bytes per task',
    higherIsBetter: false,
    target: { label: 'at most', value: 300 },
    variants: await figuresOf(variants, quick ? 1 : 3),
  };
}

async function figuresOf(variants: Variant[], roundCount = rounds) {
  const spreads = await interleave(variants, roundCount);
  return variants.map((variant, index) => ({
    label: variant.label,
    value: spreads[index]!,
  }));
}

async function main(): Promise<void> {
  const figures = [];
  for (const measure of [scheduling, attaching, throughput, heap]) {
    figures.push(await measure());
  }
  const results: MicroResults = { rounds, figures };
  process.stdout.write(JSON.stringify(results) + '\n');
}

void main();
