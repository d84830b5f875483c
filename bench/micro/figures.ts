import type { Spread } from '../statistics';

export interface VariantFigure {
  label: string;
  value: Spread;
}

/** One micro-benchmark: its unit, its variants and the bound ours must meet. */
export interface MicroFigure {
  title: string;
  unit: string;
  /** Whether a larger figure is better (throughput) or worse (cost). */
  higherIsBetter: boolean;
  target?: { label: string; value: number };
  variants: VariantFigure[];
}

export interface MicroResults {
  rounds: number;
  figures: MicroFigure[];
}
