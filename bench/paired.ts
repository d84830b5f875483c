import {
  cpuNanoseconds,
  startServer,
  type ServerProcess,
} from './server-process';
import { spread, type Spread } from './statistics';
import { requireGoodAnswers, runWrk } from './wrk';

/** One side of a pair: a server file and the path its requests hit. */
export interface Side {
  label: string;
  server: string;
  path?: string;
}

export interface Plan {
  warmupSeconds: number;
  windows: number;
  windowSeconds: number;
  connections: number;
}

export interface Window {
  cpuNanosecondsA: number;
  requestsA: number;
  cpuNanosecondsB: number;
  requestsB: number;
  /** CPU time per request of A over that of B in this window. */
  ratio: number;
}

export interface PairResult {
  a: Side;
  b: Side;
  ratio: Spread;
  /** Server CPU per request, in microseconds (median over windows). */
  cpuPerRequestUsA: number;
  cpuPerRequestUsB: number;
  /** Rough anchor only: both servers share one core while measured. */
  requestsPerSecondA: number;
  requestsPerSecondB: number;
  windows: Window[];
}

/**
 * Loads A and B at the same time, both servers on one core and both load
 * generators on the other, so host noise hits both alike; the figure is the
 * ratio of their CPU time per request.
 * @example
 * const result = await measurePair(ours, plain, plan)
 */
export async function measurePair(
  a: Side,
  b: Side,
  plan: Plan,
): Promise<PairResult> {
  const [serverA, serverB] = await Promise.all([
    startServer(a.server),
    startServer(b.server),
  ]);
  try {
    await loadBoth(
      serverA,
      a,
      serverB,
      b,
      plan.warmupSeconds,
      plan.connections,
    );

    const windows: Window[] = [];
    for (let index = 0; index < plan.windows; index++) {
      windows.push(await measureWindow(serverA, a, serverB, b, plan));
    }
    return summarize(a, b, windows, plan.windowSeconds);
  } finally {
    await Promise.all([serverA.stop(), serverB.stop()]);
  }
}

async function measureWindow(
  serverA: ServerProcess,
  a: Side,
  serverB: ServerProcess,
  b: Side,
  plan: Plan,
): Promise<Window> {
  const startA = cpuNanoseconds(serverA.pid);
  const startB = cpuNanoseconds(serverB.pid);
  const [loadA, loadB] = await loadBoth(
    serverA,
    a,
    serverB,
    b,
    plan.windowSeconds,
    plan.connections,
  );
  const cpuNanosecondsA = cpuNanoseconds(serverA.pid) - startA;
  const cpuNanosecondsB = cpuNanoseconds(serverB.pid) - startB;

  const ratio =
    cpuNanosecondsA / loadA.requests / (cpuNanosecondsB / loadB.requests);
  return {
    cpuNanosecondsA,
    requestsA: loadA.requests,
    cpuNanosecondsB,
    requestsB: loadB.requests,
    ratio,
  };
}

async function loadBoth(
  serverA: ServerProcess,
  a: Side,
  serverB: ServerProcess,
  b: Side,
  seconds: number,
  connections: number,
) {
  const loads = await Promise.all([
    runWrk({ port: serverA.port, path: a.path, seconds, connections }),
    runWrk({ port: serverB.port, path: b.path, seconds, connections }),
  ]);
  requireGoodAnswers(a.label, loads[0]);
  requireGoodAnswers(b.label, loads[1]);
  return loads;
}

function summarize(
  a: Side,
  b: Side,
  windows: Window[],
  seconds: number,
): PairResult {
  const perRequestUs = (cpu: number, requests: number) => cpu / requests / 1000;
  return {
    a,
    b,
    ratio: spread(windows.map((window) => window.ratio)),
    cpuPerRequestUsA: spread(
      windows.map((window) =>
        perRequestUs(window.cpuNanosecondsA, window.requestsA),
      ),
    ).median,
    cpuPerRequestUsB: spread(
      windows.map((window) =>
        perRequestUs(window.cpuNanosecondsB, window.requestsB),
      ),
    ).median,
    requestsPerSecondA: spread(
      windows.map((window) => window.requestsA / seconds),
    ).median,
    requestsPerSecondB: spread(
      windows.map((window) => window.requestsB / seconds),
    ).median,
    windows,
  };
}
