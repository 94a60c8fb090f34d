import { Worker } from 'node:worker_threads';

/**
 * The worker's program: a read-only connection to the SQLite file, answering one statement's
 * first value at a time (statements prepared once, at most 200 kept).
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const prepared = new Map();
parentPort.on('message', ({ id, sql, bindings }) => {
  try {
    let statement = prepared.get(sql);
    if (!statement) {
      if (prepared.size >= 200) prepared.clear();
      statement = db.prepare(sql).pluck();
      prepared.set(sql, statement);
    }
    parentPort.postMessage({ id, value: statement.get(bindings) });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message) });
  }
});
`;

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/** A value as better-sqlite3 takes it: dates as epoch milliseconds (how the hub stores them), booleans as 0 or 1. */
const bindable = (value: unknown): unknown => (value instanceof Date ? value.getTime() : typeof value === 'boolean' ? Number(value) : value);

/**
 * Runs long read-only statements on a SQLite file in a worker thread with a connection of its own,
 * so that the event loop serves other requests meanwhile: better-sqlite3 answers synchronously,
 * and one statement building a whole dashboard would hold every other client (and Slack's
 * acknowledgements) for its length. In WAL mode (the hub's) the worker sees every committed write
 * and writers do not wait for it. Started on the first statement; a worker that dies fails what it
 * was running and the next statement starts another.
 */
export class ReadWorker {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private next = 0;

  constructor(private readonly path: string) {}

  private start(): Worker {
    const worker = new Worker(PROGRAM, { eval: true, workerData: { path: this.path, driver: require.resolve('better-sqlite3') } });
    worker.on('message', ({ id, value, error }: { id: number; value?: unknown; error?: string }) => {
      const waiting = this.waiting.get(id);
      this.waiting.delete(id);
      if (error !== undefined) waiting?.reject(new Error(error));
      else waiting?.resolve(value);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiting of this.waiting.values()) waiting.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SQLite read worker exited (code ${code})`)));
    return worker;
  }

  /** The first column of the first row of `sql` (`?` placeholders), or undefined when it has no row. */
  value(sql: string, bindings: readonly unknown[]): Promise<unknown> {
    this.worker ??= this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker!.postMessage({ id, sql, bindings: bindings.map(bindable) });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
