/** A route path as Express takes it. */
export type RoutePath = string | RegExp;

type Letter =
  | 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l'
  | 'm' | 'n' | 'o' | 'p' | 'q' | 'r' | 's' | 't' | 'u' | 'v' | 'w' | 'x'
  | 'y' | 'z';
type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type NameChar = Letter | Uppercase<Letter> | Digit | '_' | '$';

/** Splits `S` into the parameter name it starts with and the rest. */
type ReadName<S extends string, Name extends string = ''> =
  S extends `${infer Char}${infer Rest}`
    ? Char extends NameChar
      ? ReadName<Rest, `${Name}${Char}`>
      : [Name, S]
    : [Name, S];

type Param<Name extends string, Value, Optional extends boolean> =
  Name extends ''
    ? unknown
    : Optional extends true
      ? { [Key in Name]?: Value }
      : { [Key in Name]: Value };

/**
 * Walks the path one character at a time: `:name` is a string, `*name`
 * (Express 5) a list of segments; inside `{...}` (Express 5) or with a
 * trailing `?` (Express 4) a parameter is optional.
 */
type Collect<
  S extends string,
  Optional extends boolean = false,
  Found = unknown,
> = S extends `${infer Char}${infer Rest}`
  ? Char extends '\\'
    ? Rest extends `${string}${infer After}`
      ? Collect<After, Optional, Found>
      : Found
    : Char extends '{'
      ? Collect<Rest, true, Found>
      : Char extends '}'
        ? Collect<Rest, false, Found>
        : Char extends '('
          ? Rest extends `${string})${infer After}`
            ? Collect<After, Optional, Found>
            : Found
          : Char extends ':' | '*'
            ? CollectParam<Char, ReadName<Rest>, Optional, Found>
            : Collect<Rest, Optional, Found>
  : Found;

type CollectParam<
  Marker extends string,
  Read,
  Optional extends boolean,
  Found,
> = Read extends [infer Name extends string, infer After extends string]
  ? Marker extends '*'
    ? Collect<After, Optional, Found & Param<Name, string[], Optional>>
    : After extends `?${infer Rest}`
      ? Collect<Rest, Optional, Found & Param<Name, string, true>>
      : Collect<After, Optional, Found & Param<Name, string, Optional>>
  : Found;

type Flatten<T> = { [Key in keyof T]: T[Key] };

/**
 * The `req.params` of a route path: `'/users/:id'` gives `{ id: string }`.
 * A path not known at compile time, or a RegExp, gives string values.
 */
export type PathParams<Path extends RoutePath> = Path extends string
  ? string extends Path
    ? Record<string, string>
    : Flatten<Collect<Path>>
  : Record<string, string>;
