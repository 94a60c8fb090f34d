import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddKpiDocument,
  KpiHistoryDocument,
  RecordKpiValueDocument,
  RecordKpiValuesDocument,
  RequestPromotionDocument,
} from '../../src/generated/operations';
import { eventCount } from '../helpers/audit';
import { hub as runHub, lines } from '../helpers/cli';
import { errorCode, having, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { goalWithModel } from '../helpers/fixtures';
import { startHub, type TestHub } from '../helpers/hub';

/** Every move applies at once: the test controls when each version reaches PRODUCTION. */
const AT_ONCE = { STAGING: [], PRODUCTION: [], ARCHIVED: [] };

forEachDialect((dialect) => {
  let hub: TestHub;
  let kpiId: string;
  let v1: string;
  let v2: string;
  /** Moments between the stage changes: before v1, while v1 was in production, after v2 took over. */
  let before: Date;
  let duringV1: Date;
  let afterV2: Date;

  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  beforeAll(async () => {
    hub = await startHub(dialect, { policy: AT_ONCE });
    const { goal, versions } = await goalWithModel(hub, { title: 'Retention', businessQuestion: 'Who stays?', model: 'churn-kpi' }, [
      'scientist',
      'scientist',
    ]);
    [v1, v2] = versions.map((v) => v.id);
    kpiId = ok(await hub.as('sme', AddKpiDocument, { input: { goalId: goal.id, name: 'Churn rate', direction: 'LOWER_IS_BETTER' } })).addKpi.kpi.id;
    before = new Date();
    await tick();
    ok(await hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: v1, toStage: 'PRODUCTION' } }));
    await tick();
    duringV1 = new Date();
    await tick();
    ok(await hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: v2, toStage: 'PRODUCTION' } }));
    await tick();
    afterV2 = new Date();
  });
  afterAll(() => hub?.close());

  async function history() {
    return having(ok(await hub.as('sme', KpiHistoryDocument, { id: kpiId, first: 100 })).node, 'history');
  }

  const creditedTo = async (observedAt: Date) =>
    (await history()).history.nodes.find((n) => n.observedAt === observedAt.toISOString())?.modelVersion?.id ?? null;

  describe('recordKpiValue', () => {
    it('credits a backdated value to the version in production when it was observed', async () => {
      const at = new Date(duringV1.getTime() - 1);
      ok(await hub.as('sme', RecordKpiValueDocument, { input: { kpiId, value: 4.1, observedAt: at.toISOString() } }));
      expect(await creditedTo(at)).toBe(v1);
    });

    it('credits a value observed before any production version to none, and one from now to the current version', async () => {
      const early = new Date(before.getTime() - 1000);
      ok(await hub.as('sme', RecordKpiValueDocument, { input: { kpiId, value: 5.0, observedAt: early.toISOString() } }));
      expect(await creditedTo(early)).toBeNull();
      const now = ok(await hub.as('sme', RecordKpiValueDocument, { input: { kpiId, value: 3.9 } })).recordKpiValue.kpi.history.nodes[0];
      expect(now.modelVersion?.id).toBe(v2);
    });
  });

  describe('recordKpiValues', () => {
    const values = (prefix: string) => [
      { value: 4.4, observedAt: new Date(duringV1.getTime() - 2).toISOString(), sourceKey: `${prefix}-1` },
      { value: 3.8, observedAt: new Date(afterV2.getTime() - 1).toISOString(), sourceKey: `${prefix}-2` },
      { value: 5.2, observedAt: new Date(before.getTime() - 5000).toISOString(), sourceKey: `${prefix}-3` },
    ];

    it('records every value, each credited by its observedAt, and importing again changes nothing', async () => {
      const first = ok(await hub.as('sme', RecordKpiValuesDocument, { input: { kpiId, values: values('a') } })).recordKpiValues;
      expect(first).toMatchObject({ recorded: 3, skipped: 0 });
      const [during, after, early] = values('a').map((v) => new Date(v.observedAt));
      expect([await creditedTo(during), await creditedTo(after), await creditedTo(early)]).toEqual([v1, v2, null]);
      const count = (await history()).history.totalCount;
      const again = ok(await hub.as('sme', RecordKpiValuesDocument, { input: { kpiId, values: values('a') } })).recordKpiValues;
      expect(again).toMatchObject({ recorded: 0, skipped: 3 });
      expect((await history()).history.totalCount).toBe(count);
    });

    it('is all or nothing: one bad value is BAD_USER_INPUT naming it, and nothing is written', async () => {
      const count = (await history()).history.totalCount;
      const events = await eventCount(hub);
      const bad = [...values('b'), { value: 1, observedAt: '0000-06-01T00:00:00Z', sourceKey: 'b-4' }];
      const result = await hub.as('sme', RecordKpiValuesDocument, { input: { kpiId, values: bad } });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(/values\[3\]\.observedAt/);
      const repeated = await hub.as('sme', RecordKpiValuesDocument, { input: { kpiId, values: [...values('c'), values('c')[0]] } });
      expect(errorCode(repeated)).toBe('BAD_USER_INPUT');
      expect(repeated.errors![0].message).toMatch(/values\[3\]\.sourceKey repeats values\[0\]/);
      expect((await history()).history.totalCount).toBe(count);
      expect(await eventCount(hub)).toBe(events);
    });

    it('refuses roles that may not record KPI values, and an empty list', async () => {
      expect(errorCode(await hub.as('risk', RecordKpiValuesDocument, { input: { kpiId, values: values('d') } }))).toBe('FORBIDDEN');
      expect(errorCode(await hub.as('sme', RecordKpiValuesDocument, { input: { kpiId, values: [] } }))).toBe('BAD_USER_INPUT');
    });

    it('refuses more than 10,000 values in one call, writing nothing', async () => {
      const count = (await history()).history.totalCount;
      const many = Array.from({ length: 10_001 }, (_, i) => ({ value: i, observedAt: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString() }));
      const result = await hub.as('sme', RecordKpiValuesDocument, { input: { kpiId, values: many } });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(/at most 10000 values/);
      expect((await history()).history.totalCount).toBe(count);
    });
  });

  if (dialect === 'postgresql') {
    describe('hub kpi import', () => {
      let dir: string;
      let env: { DATABASE_URL: string };
      beforeAll(() => {
        dir = mkdtempSync(join(tmpdir(), 'hub-kpi-'));
        env = { DATABASE_URL: (hub.target as { url: string }).url };
      });
      afterAll(() => rmSync(dir, { recursive: true, force: true }));

      const file = (name: string, text: string) => {
        const path = join(dir, name);
        writeFileSync(path, text);
        return path;
      };

      it('imports a CSV export once: a second import skips every row', async () => {
        const at = new Date(duringV1.getTime() - 3).toISOString();
        const csv = file('good.csv', `observedAt,value,sourceKey\n${at},4.25,row-1\n\n${afterV2.toISOString()},3.75,row-2\n`);
        const first = await runHub(['kpi', 'import', '--kpi', kpiId, '--as', 'sme@test.example', csv], env);
        expect(first.code, first.stderr).toBe(0);
        expect(JSON.parse(first.stdout)).toEqual({ kpi: kpiId, recorded: 2, skipped: 0 });
        expect(await creditedTo(new Date(at))).toBe(v1);
        const second = await runHub(['kpi', 'import', '--kpi', kpiId, '--as', 'sme@test.example', csv], env);
        expect(JSON.parse(second.stdout)).toEqual({ kpi: kpiId, recorded: 0, skipped: 2 });
      });

      it.each([
        [
          'a value that is not a number',
          'observedAt,value\n2026-01-01T00:00:00Z,1\n2026-01-02T00:00:00Z,lots\n',
          /line 3: value "lots" is not a number/,
          2,
        ],
        ['a date that is not one', 'observedAt,value\nyesterday,1\n', /line 2: observedAt "yesterday" is not a date-time/, 2],
        ['a wrong header', 'when,value\n2026-01-01T00:00:00Z,1\n', /line 1: the header must be/, 2],
        [
          'a repeated source key',
          'observedAt,value,sourceKey\n2026-01-01T00:00:00Z,1,k\n2026-01-02T00:00:00Z,2,k\n',
          /line 3: values\[1\]\.sourceKey repeats/,
          1,
        ],
      ] as const)('names the line of %s and writes nothing', async (_what, text, message, code) => {
        const count = (await history()).history.totalCount;
        const run = await runHub(['kpi', 'import', '--kpi', kpiId, '--as', 'sme@test.example', file('bad.csv', text)], env);
        expect(run.code).toBe(code);
        expect(run.stdout).toBe('');
        expect(lines(run.stderr)).toHaveLength(1);
        expect(run.stderr).toMatch(message);
        expect((await history()).history.totalCount).toBe(count);
      });
    });
  }
});
