import type { Side } from './paired';
import { lastRoutePath } from './servers/app-size';

/** A pair measured side by side; `target` bounds A's CPU per request over B's. */
export interface PairDefinition {
  id: string;
  a: Side;
  b: Side;
  target?: number;
}

export interface Suite {
  id: string;
  title: string;
  pairs: PairDefinition[];
}

const express5: Side = { label: 'Express 5 app.get', server: 'express-plain' };
const express4: Side = { label: 'Express 4 app.get', server: 'express4-plain' };
const manyExpress: Side = {
  label: 'Express 5 app.get ×100',
  server: 'express-many',
  path: lastRoutePath,
};

export const suites: Suite[] = [
  {
    id: 'http',
    title: 'One route, server CPU per request against Express 5 app.get',
    pairs: [
      {
        id: 'same',
        a: { ...express5, label: 'Express 5 app.get (A/A)' },
        b: express5,
      },
      {
        id: 'router',
        a: {
          label: 'Express 5 app.use(Router) + get',
          server: 'express-router',
        },
        b: express5,
      },
      { id: 'raw', a: { label: 'node:http', server: 'raw-http' }, b: express5 },
      {
        id: 'finish',
        a: {
          label: "Express 5 + res.on('finish') task",
          server: 'express-finish',
        },
        b: express5,
      },
      {
        id: 'fastify',
        a: { label: 'Fastify 5 + onResponse task', server: 'fastify-hook' },
        b: express5,
      },
      {
        id: 'none',
        a: { label: 'ours get(), no task', server: 'ours-none' },
        b: express5,
      },
      {
        id: 'route-task',
        a: { label: 'ours get(), route task', server: 'ours-route-task' },
        b: express5,
        target: 1.03,
      },
      {
        id: 'all-tasks',
        a: {
          label: 'ours get(), route + handler + response tasks',
          server: 'ours-all-tasks',
        },
        b: express5,
      },
      {
        id: 'sleep',
        a: { label: 'ours get(), 50 ms sleeping task', server: 'ours-sleep' },
        b: express5,
      },
      { id: 'express4', a: express4, b: express5 },
      {
        id: 'express4-route-task',
        a: { label: 'ours on Express 4, route task', server: 'ours-express4' },
        b: express4,
      },
    ],
  },
  {
    id: 'app-size',
    title: '100 routes, request to the last, against Express 5 app.get ×100',
    pairs: [
      {
        id: 'same',
        a: { ...manyExpress, label: 'Express 5 app.get ×100 (A/A)' },
        b: manyExpress,
      },
      {
        id: 'mounted',
        a: {
          label: 'ours ×100, mounted one by one',
          server: 'ours-many-mounted',
          path: lastRoutePath,
        },
        b: manyExpress,
      },
      {
        id: 'routes',
        a: {
          label: 'ours ×100 through routes(...)',
          server: 'ours-many-routes',
          path: lastRoutePath,
        },
        b: manyExpress,
        target: 1.1,
      },
    ],
  },
];

const noTask: Side = { label: 'ours get(), no task', server: 'ours-none' };

/** Pairs of the latency suite: each side against the reference. */
export const latencyPairs: { reference: Side; side: Side }[] = [
  {
    reference: noTask,
    side: { ...noTask, label: 'ours get(), no task (A/A)' },
  },
  {
    reference: noTask,
    side: { label: 'ours get(), 50 ms sleeping task', server: 'ours-sleep' },
  },
];

/** Most p99 with the sleeping task may be, over p99 with no task. */
export const latencyTarget = 1.05;
