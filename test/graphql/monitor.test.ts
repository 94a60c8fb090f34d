import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddKpiDocument,
  CreateExperimentDocument,
  CreateModelVersionDocument,
  CreateMonitorDocument,
  DeleteMonitorDocument,
  LogMetricsDocument,
  LogRunDocument,
  MoGoalMonitorsDocument,
  MoVersionFlagsDocument,
  PauseMonitorDocument,
  RecordKpiValueDocument,
  RecordKpiValuesDocument,
  RequestPromotionDocument,
  ResolveDriftDocument,
  UpdateMonitorDocument,
  type CreateMonitorInput,
} from '../../src/generated/operations';
import { eventCount } from '../helpers/audit';
import { errorCode, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { goalWithModel } from '../helpers/fixtures';
import { startHub, type HubOptions, type TestHub } from '../helpers/hub';
import { unknownId } from '../helpers/ids';

/** Promotions apply at once here: the suite is about what monitors see, not how versions got to production. */
const POLICY = { STAGING: [], PRODUCTION: [], ARCHIVED: [] } as unknown as HubOptions['policy'];

forEachDialect((dialect) => {
  let hub: TestHub;
  let n = 0;

  beforeAll(async () => {
    hub = await startHub(dialect, { policy: POLICY });
  });
  afterAll(() => hub?.close());

  /** A goal with a KPI and a model whose v1 (backed by a run) is in PRODUCTION. */
  async function world(kpi: { baseline?: number; direction?: 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER' } = {}, promote = true) {
    n++;
    const { goal, model } = await goalWithModel(hub, { title: `Watched ${n}`, businessQuestion: 'Still good?', model: `watched-${n}` }, []);
    const kpiId = ok(
      await hub.as('sme', AddKpiDocument, {
        input: { goalId: goal.id, name: 'Approval rate', direction: kpi.direction ?? 'HIGHER_IS_BETTER', baseline: kpi.baseline },
      }),
    ).addKpi.kpi.id;
    const experiment = ok(await hub.as('scientist', CreateExperimentDocument, { input: { goalId: goal.id, name: `exp ${n}` } })).createExperiment
      .experiment;
    const run = ok(await hub.as('scientist', LogRunDocument, { input: { experimentId: experiment.id, name: 'training' } })).logRun.run;
    const version = ok(await hub.as('scientist', CreateModelVersionDocument, { input: { modelId: model.id, runId: run.id } })).createModelVersion
      .modelVersion;
    if (promote) ok(await hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: version.id, toStage: 'PRODUCTION' } }));
    return { goal, model, kpiId, run, version };
  }

  const kpiMonitor = (goalId: string, kpiId: string, rule: Partial<CreateMonitorInput> = {}): CreateMonitorInput => ({
    goalId,
    name: 'Approvals low',
    source: 'KPI',
    kpiId,
    condition: 'BELOW',
    threshold: 0.6,
    severity: 'HIGH',
    ...rule,
  });

  const create = async (input: CreateMonitorInput, who: 'sme' | 'scientist' = 'sme') =>
    ok(await hub.as(who, CreateMonitorDocument, { input })).createMonitor.monitor;
  const record = async (kpiId: string, value: number) => ok(await hub.as('scientist', RecordKpiValueDocument, { input: { kpiId, value } }));
  const flagsOf = async (versionId: string) => {
    const node = ok(await hub.as('sme', MoVersionFlagsDocument, { id: versionId })).node;
    return node && 'driftFlags' in node ? node.driftFlags : [];
  };

  it('raises a MONITOR flag after `window` breaches in a row, adds further breaches to it, and resolves it after M healthy values', async () => {
    const { goal, kpiId, version } = await world();
    const monitor = await create(kpiMonitor(goal.id, kpiId, { window: 2, autoResolveAfter: 2 }));
    expect(monitor).toMatchObject({
      source: 'KPI',
      condition: 'BELOW',
      window: 2,
      autoResolveAfter: 2,
      paused: false,
      createdBy: { id: hub.users.sme.id },
    });

    await record(kpiId, 0.5);
    expect(await flagsOf(version.id)).toEqual([]);
    await record(kpiId, 0.4);
    const [flag] = await flagsOf(version.id);
    expect(flag).toMatchObject({
      origin: 'MONITOR',
      status: 'OPEN',
      severity: 'HIGH',
      kind: 'BUSINESS',
      occurrences: 1,
      observed: 0.4,
      expected: 0.6,
      monitor: { id: monitor.id },
      raisedBy: { id: hub.users.sme.id },
    });

    const events = await eventCount(hub, { types: ['DRIFT_FLAGGED'] });
    await record(kpiId, 0.3);
    await record(kpiId, 0.2);
    const [added] = await flagsOf(version.id);
    expect(added).toMatchObject({ id: flag.id, occurrences: 3, observed: 0.2 });
    expect(new Date(added.lastSeenAt) >= new Date(flag.lastSeenAt)).toBe(true);
    expect(await eventCount(hub, { types: ['DRIFT_FLAGGED'] })).toBe(events);

    await record(kpiId, 0.9);
    expect((await flagsOf(version.id))[0].status).toBe('OPEN');
    await record(kpiId, 0.8);
    const [resolved] = await flagsOf(version.id);
    expect(resolved).toMatchObject({ id: flag.id, status: 'RESOLVED' });
    expect(resolved.resolution).toContain('Approvals low');

    await record(kpiId, 0.1);
    await record(kpiId, 0.1);
    const flags = await flagsOf(version.id);
    expect(flags).toHaveLength(2);
    expect(flags[0]).toMatchObject({ status: 'OPEN', occurrences: 1 });
  });

  it('opens a new flag when a person resolved the last one, and raises nothing without a version in production or while paused', async () => {
    const { goal, kpiId, version } = await world();
    const monitor = await create(kpiMonitor(goal.id, kpiId));
    await record(kpiId, 0.1);
    const [first] = await flagsOf(version.id);
    ok(await hub.as('scientist', ResolveDriftDocument, { input: { driftFlagId: first.id, resolution: 'Known campaign effect.' } }));
    await record(kpiId, 0.1);
    expect((await flagsOf(version.id)).filter((f) => f.status === 'OPEN')).toHaveLength(1);

    const paused = ok(await hub.as('scientist', PauseMonitorDocument, { input: { monitorId: monitor.id, paused: true } })).pauseMonitor.monitor;
    expect(paused.paused).toBe(true);
    const before = (await flagsOf(version.id))[0];
    await record(kpiId, 0.1);
    expect((await flagsOf(version.id))[0]).toMatchObject({ id: before.id, occurrences: before.occurrences });

    const idle = await world({}, false);
    await create(kpiMonitor(idle.goal.id, idle.kpiId));
    await record(idle.kpiId, 0.1);
    expect(await flagsOf(idle.version.id)).toEqual([]);
  });

  it('compares with the baseline in the KPI direction', async () => {
    const higher = await world({ baseline: 100 });
    await create(kpiMonitor(higher.goal.id, higher.kpiId, { condition: 'WORSE_THAN_BASELINE_PCT', threshold: 10 }));
    await record(higher.kpiId, 91);
    await record(higher.kpiId, 150);
    expect(await flagsOf(higher.version.id)).toEqual([]);
    await record(higher.kpiId, 89);
    expect(await flagsOf(higher.version.id)).toMatchObject([{ observed: 89, expected: 100 }]);

    const lower = await world({ baseline: 100, direction: 'LOWER_IS_BETTER' });
    await create(kpiMonitor(lower.goal.id, lower.kpiId, { condition: 'WORSE_THAN_BASELINE_PCT', threshold: 10 }));
    await record(lower.kpiId, 50);
    await record(lower.kpiId, 109);
    expect(await flagsOf(lower.version.id)).toEqual([]);
    await record(lower.kpiId, 111);
    expect(await flagsOf(lower.version.id)).toHaveLength(1);
  });

  it('evaluates each of 10,000 imported values within the import', async () => {
    const { goal, kpiId, version } = await world();
    await create(kpiMonitor(goal.id, kpiId, { autoResolveAfter: 3 }));
    const start = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const end = Date.now();
    // 4,000 breaches, then 3 healthy values (resolve), then the rest breaching again: two flags.
    const values = Array.from({ length: 10_000 }, (_, i) => ({
      value: i < 4_000 || i >= 4_003 ? 0.1 : 0.9,
      observedAt: new Date(start + Math.floor(((end - start) * i) / 10_000)).toISOString(),
      sourceKey: `row-${i}`,
    }));
    const began = performance.now();
    expect(ok(await hub.as('scientist', RecordKpiValuesDocument, { input: { kpiId, values } })).recordKpiValues.recorded).toBe(10_000);
    console.info(`monitor ${dialect}: 10,000 values imported and evaluated in ${Math.round(performance.now() - began)} ms`);
    const flags = await flagsOf(version.id);
    expect(flags.map((f) => [f.status, f.occurrences])).toEqual([
      ['OPEN', 5_997],
      ['RESOLVED', 4_000],
    ]);
  }, 120_000);

  it('watches a metric logged on the run of a version while it is in production', async () => {
    const { goal, model, run, version } = await world();
    const monitor = await create(
      {
        goalId: goal.id,
        name: 'AUC floor',
        source: 'VERSION_METRIC',
        modelId: model.id,
        metricKey: 'auc',
        condition: 'BELOW',
        threshold: 0.7,
        severity: 'MEDIUM',
      },
      'scientist',
    );
    expect(monitor).toMatchObject({ model: { id: model.id }, metricKey: 'auc', kpi: null });
    ok(
      await hub.as('scientist', LogMetricsDocument, {
        input: {
          runId: run.id,
          metrics: [
            { key: 'loss', value: 0.1, step: 1 },
            { key: 'auc', value: 0.8, step: 1 },
          ],
        },
      }),
    );
    expect(await flagsOf(version.id)).toEqual([]);
    ok(
      await hub.as('scientist', LogMetricsDocument, {
        input: {
          runId: run.id,
          metrics: [
            { key: 'auc', value: 0.65, step: 2 },
            { key: 'auc', value: 0.6, step: 3 },
          ],
        },
      }),
    );
    expect(await flagsOf(version.id)).toMatchObject([
      { origin: 'MONITOR', kind: 'PERFORMANCE', metric: 'auc', occurrences: 2, observed: 0.6, monitor: { id: monitor.id } },
    ]);

    // A run behind no version: nothing to watch.
    const experiment = ok(await hub.as('scientist', CreateExperimentDocument, { input: { goalId: goal.id, name: `later ${n}` } })).createExperiment
      .experiment;
    const other = ok(await hub.as('scientist', LogRunDocument, { input: { experimentId: experiment.id, name: 'retraining' } })).logRun.run;
    ok(await hub.as('scientist', LogMetricsDocument, { input: { runId: other.id, metrics: [{ key: 'auc', value: 0.1 }] } }));
    expect((await flagsOf(version.id))[0].occurrences).toBe(2);
  });

  it('lists, updates, pauses and deletes monitors, with an event each; the flags a deleted monitor raised stay', async () => {
    const { goal, kpiId, version } = await world();
    const monitor = await create(kpiMonitor(goal.id, kpiId));
    const events = await eventCount(hub, { types: ['MONITOR_CREATED', 'MONITOR_UPDATED', 'MONITOR_DELETED'] });
    const updated = ok(
      await hub.as('scientist', UpdateMonitorDocument, {
        input: { monitorId: monitor.id, threshold: 0.3, window: 3, severity: 'CRITICAL', autoResolveAfter: 5 },
      }),
    ).updateMonitor.monitor;
    expect(updated).toMatchObject({ threshold: 0.3, window: 3, severity: 'CRITICAL', autoResolveAfter: 5 });
    expect(
      ok(await hub.as('sme', UpdateMonitorDocument, { input: { monitorId: monitor.id, autoResolveAfter: 0, window: 1 } })).updateMonitor.monitor
        .autoResolveAfter,
    ).toBeNull();
    ok(await hub.as('sme', PauseMonitorDocument, { input: { monitorId: monitor.id, paused: true } }));
    ok(await hub.as('sme', PauseMonitorDocument, { input: { monitorId: monitor.id, paused: false } }));
    const listed = ok(await hub.as('risk', MoGoalMonitorsDocument, { id: goal.id })).node;
    expect(listed && 'monitors' in listed ? listed.monitors.map((m) => m.id) : null).toEqual([monitor.id]);

    await record(kpiId, 0.1);
    expect(ok(await hub.as('admin', DeleteMonitorDocument, { input: { monitorId: monitor.id } })).deleteMonitor.monitorId).toBe(monitor.id);
    expect(await eventCount(hub, { types: ['MONITOR_CREATED', 'MONITOR_UPDATED', 'MONITOR_DELETED'] })).toBe(events + 5);
    expect(await flagsOf(version.id)).toMatchObject([{ origin: 'MONITOR', monitor: null }]);
    const after = ok(await hub.as('risk', MoGoalMonitorsDocument, { id: goal.id })).node;
    expect(after && 'monitors' in after ? after.monitors : null).toEqual([]);
    expect(errorCode(await hub.as('sme', DeleteMonitorDocument, { input: { monitorId: monitor.id } }))).toBe('NOT_FOUND');
  });

  describe('bad input changes nothing', () => {
    it('refuses rules that cannot work, unknown objects and objects of another goal', async () => {
      const { goal, model, kpiId } = await world();
      const other = await world({ baseline: 0 });
      const events = await eventCount(hub);
      const bad: [Partial<CreateMonitorInput>, string][] = [
        [{ kpiId: null }, 'BAD_USER_INPUT'],
        [{ modelId: model.id }, 'BAD_USER_INPUT'],
        [{ source: 'VERSION_METRIC', kpiId: null, modelId: model.id, metricKey: 'auc', condition: 'WORSE_THAN_BASELINE_PCT' }, 'BAD_USER_INPUT'],
        [{ condition: 'WORSE_THAN_BASELINE_PCT' }, 'BAD_USER_INPUT'],
        [{ goalId: other.goal.id, kpiId: other.kpiId, condition: 'WORSE_THAN_BASELINE_PCT' }, 'BAD_USER_INPUT'],
        [{ kpiId: other.kpiId }, 'BAD_USER_INPUT'],
        [{ window: 0 }, 'BAD_USER_INPUT'],
        [{ window: 1_001 }, 'BAD_USER_INPUT'],
        [{ autoResolveAfter: 0 }, 'BAD_USER_INPUT'],
        [{ threshold: Number.NaN }, 'BAD_USER_INPUT'],
        [{ name: '' }, 'BAD_USER_INPUT'],
        [{ goalId: unknownId('Goal') }, 'NOT_FOUND'],
        [{ kpiId: unknownId('Kpi') }, 'NOT_FOUND'],
      ];
      for (const [rule, code] of bad) {
        expect(errorCode(await hub.as('sme', CreateMonitorDocument, { input: kpiMonitor(goal.id, kpiId, rule) })), JSON.stringify(rule)).toBe(code);
      }
      expect(errorCode(await hub.as('risk', CreateMonitorDocument, { input: kpiMonitor(goal.id, kpiId) }))).toBe('FORBIDDEN');
      expect(errorCode(await hub.as('sme', UpdateMonitorDocument, { input: { monitorId: unknownId('Monitor'), threshold: 1 } }))).toBe('NOT_FOUND');
      expect(await eventCount(hub)).toBe(events);
    });

    it('holds at most 20 monitors per goal', async () => {
      const { goal, kpiId } = await world();
      for (let i = 0; i < 20; i++) await create(kpiMonitor(goal.id, kpiId, { name: `m${i}` }));
      expect(errorCode(await hub.as('sme', CreateMonitorDocument, { input: kpiMonitor(goal.id, kpiId) }))).toBe('BAD_USER_INPUT');
    });
  });
});
