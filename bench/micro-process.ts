import { spawn } from 'node:child_process';
import path from 'node:path';
import type { MicroResults } from './micro/figures';
import { serverCore } from './server-process';

/**
 * Runs the micro-benchmarks in their own process pinned to one core.
 * @example
 * const micro = await runMicro(false)
 */
export function runMicro(quick: boolean): Promise<MicroResults> {
  const file = path.join(__dirname, 'micro', 'main.ts');
  const args = [
    '-c',
    serverCore,
    process.execPath,
    '--expose-gc',
    '--import',
    'tsx',
    file,
  ];
  if (quick) args.push('--quick');

  return new Promise((resolve, reject) => {
    const child = spawn('taskset', args, {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(
          new Error(
            `Expected the micro-benchmarks to finish, they exited with ${code}`,
          ),
        );
        return;
      }
      resolve(JSON.parse(output) as MicroResults);
    });
  });
}
