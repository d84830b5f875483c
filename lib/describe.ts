import { inspect } from 'node:util';

/**
 * Renders a value the way our error messages show what came:
 * `"nope"` (string), `42` (number), `[Function: send]` (function).
 */
export function describeValue(value: unknown): string {
  const shown =
    typeof value === 'string'
      ? quote(value)
      : inspect(value, {
          depth: 0,
          breakLength: Infinity,
          maxArrayLength: 5,
          maxStringLength: longestString,
        });
  return `\`${shown}\` (${kindOf(value)})`;
}

const longestString = 60;

/** A string in double quotes, as JSON writes it; a long one cut short. */
function quote(value: string): string {
  if (value.length <= longestString) return JSON.stringify(value);
  const rest = value.length - longestString;
  const start = JSON.stringify(value.slice(0, longestString));
  return `${start}... ${rest} more characters`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * The one shape of our definition errors:
 * Expected `handler` to be a function, got `"nope"` (string).
 */
export function expectationError(
  name: string,
  expected: string,
  value: unknown,
): TypeError {
  return new TypeError(
    `Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`,
  );
}

export function assertFunction(name: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw expectationError(name, 'a function', value);
  }
}

export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Rejects option keys we do not know, so a typo never passes silently. */
export function assertKnownKeys(
  name: string,
  value: Record<string, unknown>,
  known: readonly string[],
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const list = known.map((each) => `\`${each}\``).join(', ');
      throw new TypeError(
        `Expected \`${name}\` to have only ${list}, got \`${key}\``,
      );
    }
  }
}
