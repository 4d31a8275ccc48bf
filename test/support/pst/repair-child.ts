import { repairPst } from '../../../electron/pst/repair.ts';

// Runs one repair in its own process (for tests that must limit the process, e.g. its file-size limit) and prints
// the outcome as one JSON line: the counts and outputs, or the error's name and message.
// Usage: node --import tsx repair-child.ts SOURCE OUT

const [source, out] = process.argv.slice(2);
try {
  const r = await repairPst(source!, { out: out! });
  console.log(JSON.stringify({ ok: true, counts: r.counts, outputs: r.outputs }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, name: (e as Error).name, message: (e as Error).message }));
}
