// Writes the `import` entry point: a thin ES module over the CommonJS
// build, so that `import` and `require` share one copy of the library
// (one runner, one `configure()`), never two.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const names = Object.keys(require('../dist/index.js')).sort();

const source = [
  "import library from '../dist/index.js';",
  '',
  `export const {\n${names.map((name) => `  ${name},`).join('\n')}\n} = library;`,
  '',
].join('\n');

mkdirSync(new URL('../esm/', import.meta.url), { recursive: true });
writeFileSync(new URL('../esm/index.mjs', import.meta.url), source);
writeFileSync(
  new URL('../esm/index.d.mts', import.meta.url),
  "export * from '../dist/index.js';\n",
);
