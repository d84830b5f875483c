import {
  AbandonedError,
  OverloadError,
  TimeoutError,
  type RunnerStats,
  type TaskErrorInfo,
} from '../index';

/** How `onError` accounted for a task that did not finish well. */
export type ReportKind =
  | 'failed'
  | 'timedOut'
  | 'skipped'
  | 'overloaded'
  | 'abandoned';

interface Entry {
  created: number;
  started: number;
  completed: number;
  reports: ReportKind[];
}

export type LedgerTotals = Record<ReportKind | 'completed' | 'tasks', number>;

/**
 * Follows every task by name, from the handler that made it to the end:
 * started, finished well, or reported to `onError`.
 */
export class TaskLedger {
  readonly #entries = new Map<string, Entry>();

  #entry(name: string): Entry {
    let entry = this.#entries.get(name);
    if (entry === undefined) {
      entry = { created: 0, started: 0, completed: 0, reports: [] };
      this.#entries.set(name, entry);
    }
    return entry;
  }

  created(name: string): void {
    this.#entry(name).created++;
  }

  started(name: string): void {
    this.#entry(name).started++;
  }

  completed(name: string): void {
    this.#entry(name).completed++;
  }

  /** An `onError` that books each report against the tasks it names. */
  readonly onError = (error: unknown, info: TaskErrorInfo): void => {
    const kind = kindOf(error);
    this.#entry(info.task).reports.push(kind);
    // An overload or an abandon names the whole list; a failure, one task.
    const rest = kind === 'overloaded' || kind === 'abandoned' ? kind : 'skipped';
    for (const name of info.skipped) this.#entry(name).reports.push(rest);
  };

  /**
   * What went wrong with the books: a task run or reported twice, a task
   * neither finished nor reported, a task reported that never existed,
   * a skipped or refused task that ran anyway.
   */
  problems(): string[] {
    const found: string[] = [];
    for (const [name, entry] of this.#entries) {
      const problem = problemOf(entry);
      if (problem !== undefined) found.push(`${name}: ${problem}`);
    }
    return found;
  }

  totals(): LedgerTotals {
    const totals: LedgerTotals = {
      tasks: 0,
      completed: 0,
      failed: 0,
      timedOut: 0,
      skipped: 0,
      overloaded: 0,
      abandoned: 0,
    };
    for (const entry of this.#entries.values()) {
      totals.tasks += entry.created;
      // A task reported as timed out counts there, even if it ended later.
      if (entry.reports.length === 0) totals.completed += entry.completed;
      for (const kind of entry.reports) totals[kind]++;
    }
    return totals;
  }
}

function problemOf(entry: Entry): string | undefined {
  const { created, started, completed, reports } = entry;
  if (created !== 1) return `made ${created} times`;
  if (started > 1) return `started ${started} times`;
  if (reports.length > 1) return `reported ${reports.length} times`;
  const [report] = reports;
  if (report === undefined) {
    return completed === 1 ? undefined : 'neither finished nor reported';
  }
  // The code of a task past its timeout goes on, and may finish late.
  if (report === 'timedOut') {
    return started === 1 ? undefined : 'timed out without starting';
  }
  if (completed > 0) return `finished, yet reported as ${report}`;
  if (report === 'failed' && started !== 1) return 'failed without starting';
  if ((report === 'skipped' || report === 'overloaded') && started > 0) {
    return `started, yet ${report}`;
  }
  return undefined;
}

function kindOf(error: unknown): ReportKind {
  if (error instanceof TimeoutError) return 'timedOut';
  if (error instanceof OverloadError) return 'overloaded';
  if (error instanceof AbandonedError) return 'abandoned';
  return 'failed';
}

/** The change in each count between two `stats()` calls. */
export function statsDelta(before: RunnerStats, after: RunnerStats): RunnerStats {
  const delta = { ...after };
  for (const key of Object.keys(delta) as (keyof RunnerStats)[]) {
    delta[key] = after[key] - before[key];
  }
  return delta;
}
