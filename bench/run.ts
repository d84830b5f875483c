import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderChart } from './chart';
import { measureLatency, type LatencyPlan } from './latency';
import { runMicro } from './micro-process';
import { measurePair, type Plan } from './paired';
import { writeFigures } from './report';
import { verdict, type Results, type SuiteFigures } from './results';
import { latencyPairs, latencyTarget, suites } from './suites';
import { requireTools, requireTwoCores } from './tools';

// npm run bench [-- --quick] [-- --only=http,app-size,latency,micro]
// npm run bench -- --render: tables and chart again from results.json
const argumentsGiven = process.argv.slice(2);
const quick = argumentsGiven.includes('--quick');
const only = argumentsGiven
  .find((argument) => argument.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (part: string) => only === undefined || only.includes(part);

const plan: Plan = quick
  ? { warmupSeconds: 1, windows: 2, windowSeconds: 1, connections: 50 }
  : { warmupSeconds: 3, windows: 9, windowSeconds: 4, connections: 50 };
const latencyPlan: LatencyPlan = quick
  ? { rounds: 1, roundSeconds: 2, connections: 10, delayMilliseconds: 10 }
  : { rounds: 20, roundSeconds: 4, connections: 10, delayMilliseconds: 10 };

const root = path.join(__dirname, '..');
const resultsFolder = path.join(__dirname, 'results');

async function main(): Promise<void> {
  if (argumentsGiven.includes('--render')) return render();
  requireTools();
  requireTwoCores();
  buildLibrary();
  const startedAt = new Date().toISOString();

  const suiteFigures: SuiteFigures[] = [];
  for (const suite of suites.filter((each) => wanted(each.id))) {
    console.log(`\n${suite.title}`);
    const pairs = [];
    for (const pair of suite.pairs) {
      const result = await measurePair(pair.a, pair.b, plan);
      const { median, q1, q3 } = result.ratio;
      console.log(
        `  ${pair.a.label.padEnd(46)} ${median.toFixed(3)} (${q1.toFixed(3)}–${q3.toFixed(3)})` +
          (pair.target === undefined
            ? ''
            : `  target ≤ ${pair.target} ${verdict(median, pair.target)}`),
      );
      pairs.push({ id: pair.id, target: pair.target, ...result });
    }
    suiteFigures.push({ id: suite.id, title: suite.title, pairs });
  }

  let latency: Results['latency'];
  if (wanted('latency')) {
    console.log('\nLatency at a light fixed load');
    const pairs = [];
    for (const { reference, side } of latencyPairs) {
      const result = await measureLatency(reference, side, latencyPlan);
      const { median, q1, q3 } = result.p99Ratio;
      console.log(
        `  ${side.label.padEnd(46)} p99 ${result.p99Us} µs against ${result.referenceP99Us} µs,` +
          ` ratio ${median.toFixed(3)} (${q1.toFixed(3)}–${q3.toFixed(3)})`,
      );
      pairs.push(result);
    }
    latency = { plan: latencyPlan, target: latencyTarget, pairs };
  }

  let micro: Results['micro'];
  if (wanted('micro')) {
    console.log('\nRunner micro-benchmarks');
    micro = await runMicro(quick);
    for (const figure of micro.figures) {
      for (const variant of figure.variants) {
        console.log(
          `  ${figure.title}: ${variant.label}: ${variant.value.median.toFixed(1)} ${figure.unit}`,
        );
      }
    }
  }

  const results: Results = {
    mode: quick ? 'quick' : 'full',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    plan,
    suites: suiteFigures,
    latency,
    micro,
  };
  save(results, quick || only !== undefined);
}

/** The servers load the built package, as an app would. */
function buildLibrary(): void {
  console.log('Building the library (npm run build)');
  const build = spawnSync('npm', ['run', '--silent', 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.error('bench: npm run build failed');
    process.exit(1);
  }
}

function save(results: Results, partial: boolean): void {
  const folder = partial ? path.join(resultsFolder, 'tmp') : resultsFolder;
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, partial ? 'partial.json' : 'results.json');
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  writeFileSync(path.join(folder, 'chart.svg'), renderChart(results));
  if (!partial) writeFigures(path.join(root, 'BENCHMARKS.md'), results);
  console.log(`\nFigures written to ${path.relative(root, folder)}/`);
}

/** Writes the tables and the chart again from the last full run. */
function render(): void {
  const file = path.join(resultsFolder, 'results.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
  save(results, false);
}

function machine(): Results['machine'] {
  const versionOf = (name: string) =>
    (require(`${name}/package.json`) as { version: string }).version;
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    node: process.versions.node,
    versions: {
      express: versionOf('express'),
      'express 4': versionOf('express4'),
      fastify: versionOf('fastify'),
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
