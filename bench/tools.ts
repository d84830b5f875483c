import { spawnSync } from 'node:child_process';

const needed = [
  { command: 'wrk', install: 'apt-get install wrk (Debian/Ubuntu)' },
  { command: 'taskset', install: 'apt-get install util-linux' },
];

/** Stops the run early, with how to install them, when tools are missing. */
export function requireTools(): void {
  const missing = needed.filter(
    (tool) =>
      spawnSync('sh', ['-c', `command -v ${tool.command}`]).status !== 0,
  );
  if (missing.length === 0) return;

  for (const tool of missing) {
    console.error(
      `bench: '${tool.command}' not found; install it: ${tool.install}`,
    );
  }
  process.exit(1);
}

/** How many CPUs this process may use; the paired method needs two. */
export function requireTwoCores(): void {
  const result = spawnSync('taskset', ['-c', '-p', String(process.pid)]);
  const list = String(result.stdout).split(':').pop() ?? '';
  if (!/\b1\b|0-\d/.test(list)) {
    console.error(
      `bench: needs cores 0 and 1, this process may use ${list.trim()}`,
    );
    process.exit(1);
  }
}
