import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { runCommand } from '../../../electron/engine/run-command.ts';

// Uses up this process's file descriptors (start it under a low `ulimit -n`), shows that a command cannot be started
// then, frees some descriptors 50 ms after runCommand's first attempt, and prints one JSON line:
// { blocked: the error a plain spawn got, result: what runCommand returned }.

const held: number[] = [];
try {
  for (;;) held.push(openSync('/dev/null', 'r'));
} catch (e) {
  if ((e as NodeJS.ErrnoException).code !== 'EMFILE') throw e;
}
const blocked = await new Promise<string>((resolve) => {
  const probe = spawn('true', [], { stdio: 'pipe' });
  probe.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  probe.on('spawn', () => resolve('started'));
});
const free = setTimeout(() => {
  for (const fd of held.splice(0, 32)) closeSync(fd);
}, 50);
const result = await runCommand('echo', ['ran'], { timeoutMs: 10_000 });
console.log(JSON.stringify({ blocked, result }));
clearTimeout(free);
for (const fd of held.splice(0)) closeSync(fd);
