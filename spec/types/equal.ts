/** True only when A and B are the same type, in both directions. */
export type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2
    ? true
    : false;

/** Compiles only when given `true`. */
export function expectTrue<_ extends true>(): void {}
