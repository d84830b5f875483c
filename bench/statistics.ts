/** Median and quartiles of a sample, for figures with their spread. */
export interface Spread {
  median: number;
  q1: number;
  q3: number;
}

/** Quantile by linear interpolation between the closest ranks. */
export function quantile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * fraction;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below]!;
  const high = sorted[above]!;
  return low + (high - low) * (position - below);
}

export function spread(values: number[]): Spread {
  return {
    median: quantile(values, 0.5),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
  };
}
