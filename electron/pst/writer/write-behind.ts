import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { keepTunedWith } from '../../core/gc.ts';

// Write-behind for direct I/O: a direct write holds the calling thread until the disk has the bytes (~4 ms per 4 MiB
// window on the development VM, a quarter of a 1 GB repair). A small thread does those writes while the writer fills
// the next window. The windows live in shared memory; each has a state word the two threads hand it over with:
// FREE (the writer may fill it) → QUEUED → WRITING → FREE, or FAILED with the error sent over a message port. The
// thread takes the windows strictly in the order they were queued, so windows that share an aligned block land in
// order. Every wait for the thread is bounded.

const FREE = 0;
const QUEUED = 1;
const WRITING = 2;
const FAILED = 3;
/** A 4 MiB write that takes longer than this means the disk has stopped answering. */
const WRITE_TIMEOUT_MS = 120_000;

/** The thread's code: plain JavaScript, so it needs no build step and no file of its own. */
const THREAD = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { fd, state, meta, windows, port } = workerData;
const bufs = windows.map((w) => Buffer.from(w.sab, w.offset, w.length));
const stop = bufs.length;
function run() {
  for (let i = 0; ; i = (i + 1) % bufs.length) {
    while (Atomics.load(state, i) !== ${QUEUED}) {
      if (Atomics.load(state, stop) !== 0) return;
      Atomics.wait(state, i, Atomics.load(state, i), 1000);
    }
    Atomics.store(state, i, ${WRITING});
    const pos = meta[2 * i];
    const len = meta[2 * i + 1];
    let failed = false;
    try {
      for (let done = 0; done < len; ) done += fs.writeSync(fd, bufs[i], done, len - done, pos + done);
    } catch (err) {
      failed = true;
      port.postMessage({ code: err.code, message: err.message });
    }
    Atomics.store(state, i, failed ? ${FAILED} : ${FREE});
    Atomics.notify(state, i);
  }
}
run();
`;

export interface Window {
  sab: SharedArrayBuffer;
  offset: number;
  length: number;
}

/** An error the thread met, with its errno code (ENOSPC, EFBIG, EINVAL, …), as fs would have thrown it. */
function fsError(m: { code?: string; message?: string } | undefined): NodeJS.ErrnoException {
  return Object.assign(new Error(m?.message ?? 'a write failed'), { code: m?.code });
}

export class WriteBehind {
  private readonly state: Int32Array;
  private readonly meta: Float64Array;
  /** The windows, as views of their shared memory. */
  readonly bufs: Buffer[];
  /** Per window: the bytes it holds (written again another way after a refused direct write). */
  private readonly exact: number[];
  private readonly errors: (NodeJS.ErrnoException | null)[];
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** The window being filled (or, inside submit(), the one just queued). */
  private current = 0;
  private stopped = false;

  /** `windows`: aligned regions of shared memory (window 0 is the one filled first). */
  constructor(fd: number, windows: Window[]) {
    this.bufs = windows.map((w) => Buffer.from(w.sab, w.offset, w.length));
    this.state = new Int32Array(new SharedArrayBuffer(4 * (windows.length + 1)));
    this.meta = new Float64Array(new SharedArrayBuffer(16 * windows.length));
    this.exact = windows.map(() => 0);
    this.errors = windows.map(() => null);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(THREAD, { eval: true, workerData: { fd, state: this.state, meta: this.meta, windows, port: port2 }, transferList: [port2] });
    keepTunedWith(this.worker);
    // The thread never keeps the process alive. Should it end by itself (it does not, short of running out of memory),
    // the waits below say so once the event loop has told; before that they run into their time limit.
    this.worker.unref();
    this.worker.on('error', (err) => (this.died ??= err));
    this.worker.on('exit', (code) => (this.died ??= new Error(`the writing thread ended (exit code ${code})`)));
  }

  private died: Error | null = null;

  /** The window being filled. */
  get filling(): Buffer {
    return this.bufs[this.current]!;
  }

  /**
   * Queues the window being filled: `len` bytes at `pos`, sent as `whole` bytes (aligned; zeros after `len`). Returns
   * the next window (as it was) once the thread is done with it; throws the error its last write met.
   */
  submit(len: number, whole: number, pos: number): Buffer {
    const i = this.current;
    this.meta[2 * i] = pos;
    this.meta[2 * i + 1] = whole;
    this.exact[i] = len;
    Atomics.store(this.state, i, QUEUED);
    Atomics.notify(this.state, i);
    const j = (i + 1) % this.bufs.length;
    const err = this.settle(j);
    if (err) throw err;
    this.exact[j] = 0;
    this.current = j;
    return this.bufs[j]!;
  }

  /** Waits until no window is queued or being written; returns the first error (oldest window first), if any. */
  settleAll(): NodeJS.ErrnoException | null {
    let first: NodeJS.ErrnoException | null = null;
    for (const j of this.queueOrder()) {
      const err = this.settle(j);
      first ??= err;
    }
    return first;
  }

  /** The windows whose write failed, oldest first, with what they hold: to be written again another way. */
  failed(): { buf: Buffer; len: number; pos: number }[] {
    return this.queueOrder()
      .filter((j) => Atomics.load(this.state, j) === FAILED)
      .map((j) => ({ buf: this.bufs[j]!, len: this.exact[j]!, pos: this.meta[2 * j]! }));
  }

  /** Ends the thread once nothing is queued (errors are not raised here: see settleAll()). */
  stop(): void {
    if (this.stopped) return;
    this.settleAll();
    this.stopped = true;
    Atomics.store(this.state, this.bufs.length, 1);
    for (let j = 0; j < this.bufs.length; j++) Atomics.notify(this.state, j);
    this.port.close();
    void this.worker.terminate();
  }

  /** Window indexes from the oldest queued to the current one. */
  private queueOrder(): number[] {
    const n = this.bufs.length;
    return Array.from({ length: n }, (_, k) => (this.current + 1 + k) % n);
  }

  /** Waits until window `j` is no longer queued or being written; returns the error its write met. */
  private settle(j: number): NodeJS.ErrnoException | null {
    const deadline = Date.now() + WRITE_TIMEOUT_MS;
    for (;;) {
      const s = Atomics.load(this.state, j);
      if (s === FREE) return null;
      if (s === FAILED) {
        // The thread sends one message per failed write, in order; the window stays FAILED for failed().
        if (!this.errors[j]) this.errors[j] = fsError(receiveMessageOnPort(this.port)?.message as { code?: string; message?: string } | undefined);
        return this.errors[j];
      }
      if (this.died && !this.stopped) return new Error(`the output could not be written: ${this.died.message}`);
      const left = deadline - Date.now();
      if (left <= 0) return new Error(`the disk did not take a ${Math.round(this.meta[2 * j + 1]! / 1024)} KiB write within ${WRITE_TIMEOUT_MS / 1000} s`);
      Atomics.wait(this.state, j, s, Math.min(left, 1000));
    }
  }
}
