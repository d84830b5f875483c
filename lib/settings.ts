import {
  assertFunction,
  assertKnownKeys,
  expectationError,
  isPlainObject,
} from './describe';
import { type ErrorHook, printTaskError } from './report';

export interface RunnerSettings {
  /** Hears every task that failed, timed out, was refused or abandoned. */
  onError: ErrorHook;
  /** How many task lists run at once. */
  concurrency: number;
  /** How many lists may wait for a free slot before new ones are refused. */
  maxPending: number;
  /** Milliseconds a single task may run before it counts as failed. */
  timeout: number;
}

export type RunnerOptions = Partial<RunnerSettings>;

export const defaultSettings: Readonly<RunnerSettings> = Object.freeze({
  onError: printTaskError,
  concurrency: Infinity,
  maxPending: Infinity,
  timeout: Infinity,
});

const settingNames = Object.keys(defaultSettings);

/**
 * Returns `current` with the keys that `options` names replaced.
 * A key given as `undefined` goes back to its default.
 */
export function mergeSettings(
  current: Readonly<RunnerSettings>,
  options: unknown,
): RunnerSettings {
  if (!isPlainObject(options)) {
    throw expectationError('options', 'an object', options);
  }
  assertKnownKeys('options', options, settingNames);
  const next: RunnerSettings = { ...current };
  for (const name of settingNames as (keyof RunnerSettings)[]) {
    if (!(name in options)) continue;
    const value = options[name];
    if (value === undefined) {
      Object.assign(next, { [name]: defaultSettings[name] });
      continue;
    }
    validators[name](value);
    Object.assign(next, { [name]: value });
  }
  return next;
}

const validators: Record<keyof RunnerSettings, (value: unknown) => void> = {
  onError: (value) => assertFunction('onError', value),
  concurrency: (value) => assertLimit('concurrency', value, 1),
  maxPending: (value) => assertLimit('maxPending', value, 0),
  timeout: (value) => assertDuration('timeout', value),
};

function assertLimit(name: string, value: unknown, least: number): void {
  const valid =
    value === Infinity ||
    (typeof value === 'number' && Number.isInteger(value) && value >= least);
  if (!valid) {
    throw expectationError(
      name,
      `an integer >= ${least} or Infinity`,
      value,
    );
  }
}

/** Node's timers cannot wait longer; a larger delay would fire at once. */
const longestTimer = 2 ** 31 - 1;

/** A positive number of milliseconds, or Infinity for none. */
export function assertDuration(
  name: string,
  value: unknown,
): asserts value is number {
  const valid =
    value === Infinity ||
    (typeof value === 'number' && value > 0 && value <= longestTimer);
  if (!valid) {
    throw expectationError(
      name,
      `a number of milliseconds from 1 to ${longestTimer}, or Infinity`,
      value,
    );
  }
}
