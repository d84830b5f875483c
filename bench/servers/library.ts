import type * as Library from '../../index';

/**
 * The built package, as an app loads it. Through tsx the sources would
 * carry helpers that a compiled build does not (a call per named closure).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const library: typeof Library = require('../../dist/index.js');
