// `EXPRESS_MAJOR=4` runs the whole suite, library included, on Express 4.
import Module from 'node:module';

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolver = Module as unknown as { _resolveFilename: Resolve };

if (process.env.EXPRESS_MAJOR === '4') {
  const resolve = moduleWithResolver._resolveFilename;
  moduleWithResolver._resolveFilename = function resolveExpress4(
    request,
    ...rest
  ) {
    const target = request.replace(/^express(?=$|\/)/, 'express4');
    return resolve.call(this, target, ...rest);
  };
}
