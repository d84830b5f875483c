/** Every sample task says in one line that it ran. */
export function log(line: string): void {
  console.log(`[task] ${line}`);
}
