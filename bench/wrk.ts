import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadCore } from './server-process';

export interface LoadOptions {
  port: number;
  path?: string;
  seconds: number;
  connections: number;
  /** Think time before each request, for a light fixed load. */
  delayMilliseconds?: number;
  /** The core wrk runs on; the load core unless told. */
  core?: string;
}

export interface LoadResult {
  requests: number;
  errors: number;
  durationUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

const script = path.join(__dirname, 'wrk', 'report.lua');

/**
 * Runs one wrk thread pinned to the load core and returns its figures.
 * @example
 * const { requests } = await runWrk({ port, seconds: 5, connections: 50 })
 */
export function runWrk(options: LoadOptions): Promise<LoadResult> {
  const url = `http://127.0.0.1:${options.port}${options.path ?? '/'}`;
  const args = [
    '-c',
    options.core ?? loadCore,
    'wrk',
    '-t1',
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--timeout',
    '5s',
    '-s',
    script,
    url,
  ];
  const env = {
    ...process.env,
    WRK_DELAY_MS: String(options.delayMilliseconds ?? 0),
  };

  return new Promise((resolve, reject) => {
    const child = spawn('taskset', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((text) => text.startsWith('{'));
      if (code !== 0 || line === undefined) {
        reject(
          new Error(
            `Expected wrk to report figures, got (exit ${code}):\n${output}`,
          ),
        );
        return;
      }
      resolve(JSON.parse(line) as LoadResult);
    });
  });
}

/** Fails the run when a server answered anything but 2xx or dropped requests. */
export function requireGoodAnswers(label: string, result: LoadResult): void {
  if (result.errors > 0 || result.requests === 0) {
    throw new Error(
      `Expected only good answers from ${label}, got ${result.errors} errors` +
        ` in ${result.requests} requests`,
    );
  }
}
