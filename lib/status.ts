import { expectationError } from './describe';

/** Final status codes only: 1xx cannot end a response. */
export function assertStatus(
  name: string,
  value: unknown,
  range: { least: number; most: number } = { least: 200, most: 599 },
): asserts value is number {
  const valid =
    Number.isInteger(value) &&
    (value as number) >= range.least &&
    (value as number) <= range.most;
  if (!valid) {
    throw expectationError(
      name,
      `an integer status from ${range.least} to ${range.most}`,
      value,
    );
  }
}
