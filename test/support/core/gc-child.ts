import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { keepTunedWith, tuneGarbageCollector } from '../../../electron/core/gc.ts';

// Starts one worker thread in a process tuned by tuneGarbageCollector(), then churns short-lived objects on the main
// thread and prints the young generation's size in bytes before and after (one JSON line).
// Usage: node --import tsx gc-child.ts keep|plain (`keep`: the worker is started with keepTunedWith()).

const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;
const churn = (n: number) => {
  let keep: object[] = [];
  for (let i = 0; i < n; i++) {
    keep.push({ i, s: `x${i}` });
    if (keep.length > 5000) keep = [];
  }
};

tuneGarbageCollector();
const before = newSpace();
const worker = new Worker('setTimeout(() => {}, 60000)', { eval: true });
if (process.argv[2] === 'keep') keepTunedWith(worker);
await new Promise((resolve) => worker.once('online', resolve));
await new Promise((resolve) => setImmediate(resolve));
churn(3_000_000);
console.log(JSON.stringify({ before, after: newSpace() }));
await worker.terminate();
