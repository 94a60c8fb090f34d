import { Worker } from 'node:worker_threads';

/**
 * The worker's program: a read-only connection to the SQLite file, answering one statement's
 * first row at a time, as an array of its columns (statements prepared once, at most 200 kept).
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
      statement = db.prepare(sql).raw(true);
      prepared.set(sql, statement);
    }
    parentPort.postMessage({ id, row: statement.get(bindings) });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message) });
  }
});
`;

interface Waiting {
  resolve: (row: unknown[] | undefined) => void;
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
  /** The running worker and the statements it owes answers to (each worker its own: one that dies fails only its own). */
  private current: { worker: Worker; waiting: Map<number, Waiting> } | null = null;
  private next = 0;
  private closed = false;

  /** Answers received and not yet handed back, in arrival order (`settle`). */
  private readonly received: (() => void)[] = [];

  constructor(private readonly path: string) {}

  /**
   * Hands back one answer per turn of the event loop. Node delivers a worker's messages without
   * returning to the event loop for as long as more keep arriving (up to 1,000), and what an answer
   * sets off runs before the next message: decoding, shaping and serialising a dashboard's answer
   * takes several milliseconds, longer than the worker's next statement, so under load the loop did
   * not turn for 100–240 ms and every other request (Slack's acknowledgements) waited that long.
   */
  private settle(answer: () => void): void {
    if (this.received.push(answer) === 1) setImmediate(this.handBack);
  }

  private readonly handBack = () => {
    // The next turn is booked first: `received` is never left waiting without one.
    const answer = this.received.shift();
    if (this.received.length) setImmediate(this.handBack);
    answer?.();
  };

  private start(): { worker: Worker; waiting: Map<number, Waiting> } {
    const worker = new Worker(PROGRAM, { eval: true, workerData: { path: this.path, driver: require.resolve('better-sqlite3') } });
    // The HTTP server keeps the process alive while it serves; an idle worker must not keep it alive after.
    worker.unref();
    const waiting = new Map<number, Waiting>();
    const started = { worker, waiting };
    worker.on('message', ({ id, row, error }: { id: number; row?: unknown[]; error?: string }) => {
      const owed = waiting.get(id);
      waiting.delete(id);
      if (owed) this.settle(() => (error !== undefined ? owed.reject(new Error(error)) : owed.resolve(row)));
    });
    const fail = (err: Error) => {
      if (this.current === started) this.current = null;
      for (const owed of waiting.values()) owed.reject(err);
      waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SQLite read worker exited (code ${code})`)));
    return started;
  }

  /** The first row of `sql` (`?` placeholders) as an array of its columns, or undefined when it has no row. */
  row(sql: string, bindings: readonly unknown[]): Promise<unknown[] | undefined> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    this.current ??= this.start();
    const { worker, waiting } = this.current;
    const id = this.next++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      try {
        worker.postMessage({ id, sql, bindings: bindings.map(bindable) });
      } catch (err) {
        waiting.delete(id);
        reject(err as Error);
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = null;
    if (current) await current.worker.terminate();
  }
}
