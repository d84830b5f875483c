import { spread, type Spread } from '../statistics';

/** A variant measured once per round; it resolves with one figure. */
export interface Variant {
  label: string;
  measure(): Promise<number>;
}

/**
 * Measures every variant once per round, rotating which goes first, so
 * drift in the host's speed reaches all of them alike.
 * @example
 * const figures = await interleave([baseline, ours], 15)
 */
export async function interleave(
  variants: Variant[],
  rounds: number,
): Promise<Spread[]> {
  const samples: number[][] = variants.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < variants.length; step++) {
      const index = (round + step) % variants.length;
      samples[index]!.push(await variants[index]!.measure());
    }
  }
  return samples.map(spread);
}

/** Nanoseconds per call of `body`, over `count` calls. */
export function nanosecondsPerCall(
  count: number,
  body: (index: number) => void,
): number {
  const start = process.hrtime.bigint();
  for (let index = 0; index < count; index++) body(index);
  return Number(process.hrtime.bigint() - start) / count;
}

/** Resolves after every immediate queued before it has run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Heap growth in bytes per item while `hold` keeps `count` items alive. */
export async function heapBytesPer(
  count: number,
  hold: (count: number) => void,
  release: () => Promise<void>,
): Promise<number> {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  hold(count);
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  await release();
  return (after - before) / count;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined)
    throw new Error('Expected node to run with --expose-gc');
  gc();
  gc();
}
