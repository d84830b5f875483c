import type { Side } from './paired'
import { startServer, type ServerProcess } from './server-process'
import { spread, type Spread } from './statistics'
import { requireGoodAnswers, runWrk, type LoadResult } from './wrk'

export interface LatencyPlan {
  rounds: number
  roundSeconds: number
  connections: number
  /** Think time per request on each connection; sets the light load. */
  delayMilliseconds: number
}

export interface LatencyResult {
  side: Side
  /** Median over rounds, in microseconds. */
  p50Us: number
  p99Us: number
  /** p99 of this side over p99 of the first side, per round. */
  p99Ratio: Spread
  requestsPerSecond: number
  rounds: { p50Us: number; p99Us: number; requests: number }[]
}

/**
 * Loads each side in turn at a light fixed rate and reads its latency
 * percentiles; the first side is the reference for the ratios.
 * @example
 * const results = await measureLatency([noTask, noTaskAgain, sleepingTask], plan)
 */
export async function measureLatency(
  sides: Side[],
  plan: LatencyPlan,
): Promise<LatencyResult[]> {
  const servers: ServerProcess[] = []
  for (const side of sides) servers.push(await startServer(side.server))

  try {
    const load = async (index: number, seconds: number) => {
      const result = await runWrk({
        port: servers[index]!.port,
        path: sides[index]!.path,
        seconds,
        connections: plan.connections,
        delayMilliseconds: plan.delayMilliseconds,
      })
      requireGoodAnswers(sides[index]!.label, result)
      return result
    }
    for (let index = 0; index < sides.length; index++) await load(index, 2)

    // One server loaded at a time, so each has the core to itself; the
    // order turns every round, so drift in the host reaches all alike.
    const rounds: LoadResult[][] = []
    for (let round = 0; round < plan.rounds; round++) {
      const results: LoadResult[] = []
      for (let step = 0; step < sides.length; step++) {
        const index = (round + step) % sides.length
        results[index] = await load(index, plan.roundSeconds)
      }
      rounds.push(results)
    }

    return sides.map((side, index) => {
      const own = rounds.map((round) => round[index]!)
      const reference = rounds.map((round) => round[0]!)
      return {
        side,
        p50Us: spread(own.map((result) => result.p50Us)).median,
        p99Us: spread(own.map((result) => result.p99Us)).median,
        p99Ratio: spread(own.map((result, round) => result.p99Us / reference[round]!.p99Us)),
        requestsPerSecond:
          spread(own.map((result) => result.requests)).median / plan.roundSeconds,
        rounds: own.map(({ p50Us, p99Us, requests }) => ({ p50Us, p99Us, requests })),
      }
    })
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
  }
}
