import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import * as source from '../index';

// These specs load the built package (`npm test` builds it first) the way
// an application does, by name, in a fresh node process.
const root = join(__dirname, '..');

function runNode(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
}

const exportedNames = Object.keys(source).sort();

describe('the built package', () => {
  it('loads with require()', () => {
    const printed = runNode([
      '-e',
      "const lib = require('express-background-tasks');" +
        'console.log(JSON.stringify(Object.keys(lib).sort()))',
    ]);
    expect(JSON.parse(printed)).to.deep.equal(exportedNames);
  });

  it('loads with import', () => {
    const printed = runNode([
      '--input-type=module',
      '-e',
      "import * as lib from 'express-background-tasks';" +
        'console.log(JSON.stringify(Object.keys(lib).sort()))',
    ]);
    expect(JSON.parse(printed)).to.deep.equal(exportedNames);
  });

  it('is one copy whichever way it is loaded', () => {
    const printed = runNode([
      '--input-type=module',
      '-e',
      "import { drain } from 'express-background-tasks';" +
        "import { createRequire } from 'node:module';" +
        'const required = createRequire(import.meta.url)(' +
        "'express-background-tasks');" +
        'console.log(required.drain === drain)',
    ]);
    expect(printed.trim()).to.equal('true');
  });

  it('ships type declarations for both', () => {
    expect(existsSync(join(root, 'dist/index.d.ts'))).to.equal(true);
    expect(existsSync(join(root, 'esm/index.d.mts'))).to.equal(true);
  });
});
