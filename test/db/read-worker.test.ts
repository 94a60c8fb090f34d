import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initOrm, type Database } from '../../src/db/orm';
import type { ReadWorker } from '../../src/db/read-worker';

describe('ReadWorker (long SQLite reads off the event loop)', () => {
  let dir: string;
  let db: Database;
  let worker: ReadWorker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-read-worker-'));
    db = await initOrm({ target: { dialect: 'sqlite', path: join(dir, 'hub.db') } });
    await db.knex.raw('create table goal (id integer primary key, title text)');
    await db.knex.raw("insert into goal (title) values ('Churn'), ('Fraud')");
    worker = db.readWorker!;
  });

  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers each statement with its first row, and a failing one with its error', async () => {
    expect(await worker.row('select id, title from goal where id = ?', [2])).toEqual([2, 'Fraud']);
    expect(await worker.row('select id from goal where id = ?', [99])).toBeUndefined();
    await expect(worker.row('select nope from goal', [])).rejects.toThrow(/no such column: nope/);
    expect(await worker.row('select count(*) from goal', [])).toEqual([2]);
  });

  // What an answer sets off (decoding, shaping and sending a dashboard) takes milliseconds; Node
  // delivers a worker's messages back to back while more keep arriving, so without a turn of the
  // event loop between answers nothing else (a timer, a Slack acknowledgement) ran meanwhile.
  it('lets the event loop turn between two answers that arrive together', async () => {
    const order: string[] = [];
    const first = worker.row('select 1', []).then(() => {
      setTimeout(() => order.push('timer'), 0);
      // Handling the first answer takes long enough for the worker to send the second meanwhile.
      const until = Date.now() + 150;
      while (Date.now() < until);
      order.push('first');
    });
    const second = worker.row('select 2', []).then(() => order.push('second'));
    await Promise.all([first, second]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(['first', 'timer', 'second']);
  });
});
