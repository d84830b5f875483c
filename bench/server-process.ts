import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** The core the servers share; load generators get the other one. */
export const serverCore = '0';
export const loadCore = '1';

export interface ServerProcess {
  name: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `bench/servers/<name>.ts` pinned to the server core and waits for
 * it to report its port.
 * @example
 * const server = await startServer('express-plain')
 */
export async function startServer(name: string): Promise<ServerProcess> {
  const file = path.join(__dirname, 'servers', `${name}.ts`);
  const child = spawn(
    'taskset',
    ['-c', serverCore, process.execPath, '--import', 'tsx', file],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  const port = await readPort(child, name);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Expected a pid for server ${name}`);

  return { name, port, pid, stop: () => stopChild(child) };
}

function readPort(child: ChildProcess, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(
        new Error(`Expected server ${name} to report its port within 30 s`),
      );
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`Expected server ${name} to start, it exited with ${code}`),
      );
    });
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin!.end();
  });
}

/** Moves every thread of a running process to one core. */
export function pinToCore(pid: number, core: string): void {
  const result = spawnSync('taskset', ['-a', '-p', '-c', core, String(pid)]);
  if (result.status !== 0) {
    throw new Error(
      `Expected taskset to move ${pid} to core ${core}, got ${result.stderr}`,
    );
  }
}

/**
 * CPU time a process has used so far, in nanoseconds, over all its threads
 * (garbage collector and thread pool included).
 */
export function cpuNanoseconds(pid: number): number {
  let total = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = readFileSync(
        `/proc/${pid}/task/${thread}/schedstat`,
        'utf8',
      );
      total += Number(fields.split(' ')[0]);
    } catch {
      // A thread that ended between listing and reading has nothing left.
    }
  }
  return total;
}
