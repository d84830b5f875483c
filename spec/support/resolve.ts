// Loaded before the specs (see .mocharc.json), to choose what they run on.
//
// EXPRESS_MAJOR=4: the whole suite, library included, runs on Express 4.
// SPEC_TARGET=dist: the library is loaded from the build that ships,
// which `npm test` makes first; its source maps lead coverage back to
// the TypeScript, without the helpers a transpiler adds on the fly.
import Module from 'node:module';
import { join, relative } from 'node:path';

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolver = Module as unknown as { _resolveFilename: Resolve };
const resolve = moduleWithResolver._resolveFilename;
const root = join(__dirname, '..', '..');
const onExpress4 = process.env.EXPRESS_MAJOR === '4';
const onBuild = process.env.SPEC_TARGET === 'dist';

moduleWithResolver._resolveFilename = function resolveForSpecs(
  request,
  ...rest
) {
  const target = onExpress4
    ? request.replace(/^express(?=$|\/)/, 'express4')
    : request;
  const found = resolve.call(this, target, ...rest);
  return onBuild ? builtFile(found) : found;
};

/** The build's twin of a library source file; any other file as it is. */
function builtFile(path: string): string {
  const local = relative(root, path);
  const isLibrary =
    local === 'index.ts' || (local.startsWith('lib/') && local.endsWith('.ts'));
  if (!isLibrary) return path;
  return join(root, 'dist', local.replace(/\.ts$/, '.js'));
}
