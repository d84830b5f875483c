import type { Side } from './paired';
import { pinToCore, startServer } from './server-process';
import { spread, type Spread } from './statistics';
import { requireGoodAnswers, runWrk, type LoadResult } from './wrk';

export interface LatencyPlan {
  rounds: number;
  roundSeconds: number;
  connections: number;
  /** Think time per request on each connection; sets the light load. */
  delayMilliseconds: number;
}

export interface LatencyResult {
  reference: Side;
  side: Side;
  /** Medians over rounds, in microseconds. */
  referenceP50Us: number;
  referenceP99Us: number;
  p50Us: number;
  p99Us: number;
  /** p99 of the side over p99 of the reference, per round. */
  p99Ratio: Spread;
  requestsPerSecond: number;
  rounds: { referenceP99Us: number; p99Us: number; requests: number }[];
}

const cores = ['0', '1'];

/**
 * Loads the reference and the side at once at a light fixed rate, each
 * server on a core of its own with its load generator on the other; the
 * servers swap cores every round, so a core the host slows hits both.
 * @example
 * const result = await measureLatency(noTask, sleepingTask, plan)
 */
export async function measureLatency(
  reference: Side,
  side: Side,
  plan: LatencyPlan,
): Promise<LatencyResult> {
  const servers = await Promise.all([
    startServer(reference.server),
    startServer(side.server),
  ]);
  const sides = [reference, side];

  try {
    const loadBoth = async (round: number, seconds: number) => {
      const results = await Promise.all(
        servers.map((server, index) => {
          const core = cores[(index + round) % 2]!;
          pinToCore(server.pid, core);
          return runWrk({
            port: server.port,
            path: sides[index]!.path,
            seconds,
            connections: plan.connections,
            delayMilliseconds: plan.delayMilliseconds,
            core: cores[(index + round + 1) % 2],
          });
        }),
      );
      results.forEach((result, index) =>
        requireGoodAnswers(sides[index]!.label, result),
      );
      return results;
    };
    await loadBoth(0, 2);

    const rounds: LoadResult[][] = [];
    for (let round = 0; round < plan.rounds; round++) {
      rounds.push(await loadBoth(round, plan.roundSeconds));
    }
    const median = (values: number[]) => spread(values).median;
    return {
      reference,
      side,
      referenceP50Us: median(rounds.map(([first]) => first!.p50Us)),
      referenceP99Us: median(rounds.map(([first]) => first!.p99Us)),
      p50Us: median(rounds.map(([, second]) => second!.p50Us)),
      p99Us: median(rounds.map(([, second]) => second!.p99Us)),
      p99Ratio: spread(
        rounds.map(([first, second]) => second!.p99Us / first!.p99Us),
      ),
      requestsPerSecond:
        median(rounds.map(([, second]) => second!.requests)) /
        plan.roundSeconds,
      rounds: rounds.map(([first, second]) => ({
        referenceP99Us: first!.p99Us,
        p99Us: second!.p99Us,
        requests: second!.requests,
      })),
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}
