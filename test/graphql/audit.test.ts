import { afterAll, beforeAll, expect, it } from 'vitest';
import { CreateGoalDocument, EvAuditVerificationDocument, UpdateGoalDocument } from '../../src/generated/operations';
import { seedScale } from '../../src/db/scale-seed';
import { toGlobalId } from '../../src/domain/ids';
import { eventCount } from '../helpers/audit';
import { hub as runHub } from '../helpers/cli';
import { errorCode, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type Person, type TestHub } from '../helpers/hub';

/** A lifecycle_events row as the driver returns it. */
type Raw = { id: number; hash: string; summary: string; data: string } & Record<string, unknown>;

forEachDialect((dialect) => {
  let hub: TestHub;
  let goalId: string;

  beforeAll(async () => {
    hub = await startHub(dialect);
    goalId = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'Audited', businessQuestion: 'Can we prove it?' } })).createGoal.goal.id;
    for (let i = 0; i < 5; i++) ok(await hub.as('sme', UpdateGoalDocument, { input: { goalId, description: `Revision ${i}` } }));
  });
  afterAll(() => hub?.close());

  const verify = async () => ok(await hub.as('admin', EvAuditVerificationDocument, {})).auditVerification;
  const events = (): Promise<Raw[]> => hub.db.knex('lifecycle_events').select('*').orderBy('id');
  const gid = (id: unknown) => toGlobalId('LifecycleEvent', Number(id));

  /** Tampers with the rows, checks what verification says, then puts the rows back as they were. */
  async function tampered(tamper: (rows: Raw[]) => Promise<void>, restore: (rows: Raw[]) => Promise<void>) {
    const rows = await events();
    await tamper(rows);
    try {
      return await verify();
    } finally {
      await restore(rows);
      expect((await verify()).ok).toBe(true);
    }
  }

  const without = (row: Raw) => Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'id'));

  it('holds after ordinary writes: every event is checked', async () => {
    expect(await verify()).toEqual({ ok: true, checkedEvents: await eventCount(hub), firstBrokenEventId: null, reason: null });
  });

  it.each<Person>(['sme', 'scientist', 'mlEngineer', 'risk'])('is for ADMIN only: %s gets FORBIDDEN', async (who) => {
    expect(errorCode(await hub.as(who, EvAuditVerificationDocument, {}))).toBe('FORBIDDEN');
    expect(errorCode(await hub.as(null, EvAuditVerificationDocument, {}))).toBe('UNAUTHENTICATED');
  });

  it('names an event whose summary was edited', async () => {
    const result = await tampered(
      async (rows) => void (await hub.db.knex('lifecycle_events').where('id', rows[2].id).update({ summary: 'Nothing happened' })),
      async (rows) => void (await hub.db.knex('lifecycle_events').where('id', rows[2].id).update({ summary: rows[2].summary })),
    );
    expect(result).toMatchObject({
      ok: false,
      firstBrokenEventId: gid((await events())[2].id),
      reason: expect.stringMatching(/was changed after it was written/),
    });
    expect(result.checkedEvents).toBe(2);
  });

  it('names the event after one that was deleted', async () => {
    let removed = {} as Raw;
    const result = await tampered(
      async (rows) => {
        removed = rows[3];
        await hub.db.knex('event_outbox').where('event_id', removed.id).delete();
        await hub.db.knex('lifecycle_events').where('id', removed.id).delete();
      },
      async () => void (await hub.db.knex('lifecycle_events').insert(removed)),
    );
    const rows = await events();
    expect(result).toMatchObject({
      ok: false,
      firstBrokenEventId: gid(rows[4].id),
      reason: expect.stringMatching(/does not link to the event before it/),
    });
  });

  it('names the last event when the end of the trail was deleted', async () => {
    let removed = {} as Raw;
    const result = await tampered(
      async (rows) => {
        removed = rows[rows.length - 1];
        await hub.db.knex('event_outbox').where('event_id', removed.id).delete();
        await hub.db.knex('lifecycle_events').where('id', removed.id).delete();
      },
      async () => void (await hub.db.knex('lifecycle_events').insert(removed)),
    );
    expect(result).toMatchObject({ ok: false, firstBrokenEventId: gid(removed.id), reason: expect.stringMatching(/events at the end were deleted/) });
  });

  it('names the first of two events whose order was swapped', async () => {
    const put = async (id: unknown, row: Raw) =>
      void (await hub.db
        .knex('lifecycle_events')
        .where('id', id as number)
        .update(without(row)));
    const result = await tampered(
      async (rows) => {
        await put(rows[1].id, rows[2]);
        await put(rows[2].id, rows[1]);
      },
      async (rows) => {
        await put(rows[1].id, rows[1]);
        await put(rows[2].id, rows[2]);
      },
    );
    expect(result).toMatchObject({ ok: false, firstBrokenEventId: gid((await events())[1].id) });
  });

  it('names an event inserted with a made-up hash', async () => {
    let forged = 0;
    const result = await tampered(
      async (rows) => {
        const last = rows[rows.length - 1];
        const [row] = await hub.db
          .knex('lifecycle_events')
          .insert({ ...without(last), summary: 'Approved by everyone', prev_hash: last.hash, hash: 'f'.repeat(64) })
          .returning('id');
        forged = typeof row === 'object' ? (row as { id: number }).id : row;
      },
      async () => void (await hub.db.knex('lifecycle_events').where('id', forged).delete()),
    );
    expect(result).toMatchObject({ ok: false, firstBrokenEventId: gid(forged), reason: expect.stringMatching(/was changed after it was written/) });
  });

  it('takes in the events of a benchmark workspace (hub seed --scale)', async () => {
    const { counts } = await seedScale(hub.db, 0.01);
    expect(counts.lifecycle_events).toBeGreaterThan(100);
    expect(await verify()).toMatchObject({ ok: true, checkedEvents: await eventCount(hub) });
  });

  if (dialect === 'postgresql') {
    it('makes one chain of concurrent writers', async () => {
      await Promise.all(
        Array.from({ length: 24 }, (_, i) => hub.as('sme', UpdateGoalDocument, { input: { goalId, description: `Concurrent ${i}` } }).then(ok)),
      );
      expect(await verify()).toMatchObject({ ok: true, checkedEvents: await eventCount(hub) });
    });

    it('hub audit verify exits 0 on an intact chain and 1 naming the first broken event', async () => {
      const env = { DATABASE_URL: (hub.target as { url: string }).url };
      const good = await runHub(['audit', 'verify'], env);
      expect(good.code, good.stderr).toBe(0);
      expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, checkedEvents: await eventCount(hub) });
      const rows = await events();
      await hub.db
        .knex('lifecycle_events')
        .where('id', rows[1].id)
        .update({ data: JSON.stringify({ changes: {} }) });
      try {
        const bad = await runHub(['audit', 'verify'], env);
        expect(bad.code).toBe(1);
        expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, firstBrokenEventId: gid(rows[1].id) });
      } finally {
        await hub.db.knex('lifecycle_events').where('id', rows[1].id).update({ data: rows[1].data });
      }
    });
  }
});
