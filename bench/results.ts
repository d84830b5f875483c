import type { LatencyPlan, LatencyResult } from './latency';
import type { MicroResults } from './micro/figures';
import type { PairResult, Plan } from './paired';

export interface PairFigures extends PairResult {
  id: string;
  target?: number;
}

export interface SuiteFigures {
  id: string;
  title: string;
  pairs: PairFigures[];
}

/** Everything one run measured, as written to the results file. */
export interface Results {
  mode: 'full' | 'quick';
  startedAt: string;
  finishedAt: string;
  machine: {
    cpuModel: string;
    cpus: number;
    node: string;
    versions: Record<string, string>;
  };
  plan: Plan;
  suites: SuiteFigures[];
  latency?: {
    plan: LatencyPlan;
    target: number;
    pairs: LatencyResult[];
  };
  micro?: MicroResults;
}

/** Whether a ratio meets a bound, judged on the median. */
export function verdict(median: number, target: number | undefined): string {
  if (target === undefined) return '';
  return median <= target ? 'met' : 'missed';
}
