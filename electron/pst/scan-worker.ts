import { parentPort } from 'node:worker_threads';
import { scanFile } from './scan-file.ts';

// Worker-thread entry for `--jobs N`: scans one file per request and posts the result back.

interface Request {
  id: number;
  path: string;
  deep: boolean;
  migration?: boolean;
}

parentPort?.on('message', (req: Request) => {
  void scanFile(req.path, {
    deep: req.deep,
    migration: req.migration,
    onProgress: (progress) => parentPort?.postMessage({ id: req.id, progress }),
  }).then(
    (out) => parentPort?.postMessage({ id: req.id, result: out.result }),
    (err: unknown) => parentPort?.postMessage({ id: req.id, error: (err as Error).message }),
  );
});

parentPort?.postMessage({ id: -1, ready: true });
