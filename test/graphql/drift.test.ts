import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AcknowledgeDriftDocument,
  AddCommentDocument,
  FlagDriftDocument,
  LcDriftFlagDocument,
  LcDriftFlagsDocument,
  LcEventsDocument,
  LcModelOpenDriftDocument,
  LcVersionDriftDocument,
  ResolveDriftDocument,
  type DriftStatus,
  type FlagDriftInput,
  type Severity,
} from '../../src/generated/operations';
import { eventCount } from '../helpers/audit';
import { errorCode, having, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { worldMaker } from '../helpers/fixtures';
import { EVERYONE, startHub, type Person, type TestHub } from '../helpers/hub';
import { unknownId } from '../helpers/ids';

const TRIAGERS: Person[] = ['scientist', 'mlEngineer', 'admin'];
const NOT_TRIAGERS: Person[] = ['sme', 'dataEngineer', 'risk'];

forEachDialect((dialect) => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(() => hub?.close());

  /** A goal with a model and two versions of it, all new. */
  const world = worldMaker(
    () => hub,
    (n) => ({
      title: `Keep subscribers ${n}`,
      businessQuestion: 'Who will cancel next month?',
      model: `churn-drift-${n}`,
      secondVersionBy: 'mlEngineer',
    }),
  );

  function flagInput(modelVersionId: string, severity: Severity = 'HIGH', extra: Partial<FlagDriftInput> = {}): FlagDriftInput {
    return { modelVersionId, kind: 'DATA', severity, description: 'Share of users from the new region jumped from 2% to 30%.', ...extra };
  }

  async function flag(who: Person, modelVersionId: string, severity: Severity = 'HIGH', extra: Partial<FlagDriftInput> = {}) {
    return ok(await hub.as(who, FlagDriftDocument, { input: flagInput(modelVersionId, severity, extra) })).flagDrift.driftFlag;
  }

  async function flagNode(id: string) {
    return having(ok(await hub.as('risk', LcDriftFlagDocument, { id })).node, 'status');
  }

  const flagCount = async () => ok(await hub.as('risk', LcDriftFlagsDocument, { first: 0 })).driftFlags.totalCount;

  async function flagEvents(flagId: string, types?: ('DRIFT_FLAGGED' | 'DRIFT_ACKNOWLEDGED' | 'DRIFT_RESOLVED')[]) {
    return ok(await hub.as('risk', LcEventsDocument, { first: 100, filter: { subjectId: flagId, types } })).events;
  }

  describe('flagDrift', () => {
    it.each(EVERYONE)('lets %s flag drift on any version: OPEN, origin API, raised by them', async (who) => {
      const { model, v1 } = await world();
      const created = await flag(who, v1.id, 'MEDIUM', { kind: 'PERFORMANCE', metric: 'auc', observed: 0.71, expected: 0.82 });
      expect(created).toMatchObject({
        kind: 'PERFORMANCE',
        severity: 'MEDIUM',
        status: 'OPEN',
        origin: 'API',
        metric: 'auc',
        observed: 0.71,
        expected: 0.82,
        resolution: null,
        resolvedAt: null,
        raisedBy: { id: hub.users[who].id },
        modelVersion: { id: v1.id, version: 1, model: { id: model.id } },
      });
      expect(new Date(created.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(await flagNode(created.id)).toMatchObject({ __typename: 'DriftFlag', id: created.id, status: 'OPEN', origin: 'API' });
    });

    it('accepts a description of exactly 5,000 characters', async () => {
      const { v1 } = await world();
      const created = await flag('sme', v1.id, 'LOW', { description: 'd'.repeat(5_000) });
      expect(created.description).toHaveLength(5_000);
    });

    it.each([
      ['an empty description', ''],
      ['a whitespace-only description', ' \n\t  '],
      ['a description of 5,001 characters', 'd'.repeat(5_001)],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_what, description) => {
      const { v1 } = await world();
      const [flags, events] = [await flagCount(), await eventCount(hub)];
      expect(errorCode(await hub.as('sme', FlagDriftDocument, { input: flagInput(v1.id, 'HIGH', { description }) }))).toBe('BAD_USER_INPUT');
      expect(await flagCount()).toBe(flags);
      expect(await eventCount(hub)).toBe(events);
      const version = having(ok(await hub.as('risk', LcVersionDriftDocument, { id: v1.id })).node, 'driftFlags');
      expect(version.driftFlags).toEqual([]);
    });

    it.each<[string, (w: Awaited<ReturnType<typeof world>>) => string]>([
      ['an unknown version', () => unknownId('ModelVersion')],
      ['the ID of a model instead of a version', (w) => w.model.id],
      ['a malformed ID', () => 'not-an-id'],
    ])('answers NOT_FOUND for %s and writes nothing', async (_what, idOf) => {
      const w = await world();
      const [flags, events] = [await flagCount(), await eventCount(hub)];
      expect(errorCode(await hub.as('risk', FlagDriftDocument, { input: flagInput(idOf(w)) }))).toBe('NOT_FOUND');
      expect(await flagCount()).toBe(flags);
      expect(await eventCount(hub)).toBe(events);
    });
  });

  describe('acknowledgeDrift', () => {
    it.each(TRIAGERS)('lets %s acknowledge an OPEN flag', async (who) => {
      const { v1 } = await world();
      const open = await flag('sme', v1.id);
      const { driftFlag } = ok(
        await hub.as(who, AcknowledgeDriftDocument, { input: { driftFlagId: open.id, comment: 'Looking into it.' } }),
      ).acknowledgeDrift;
      expect(driftFlag).toMatchObject({ id: open.id, status: 'ACKNOWLEDGED', resolution: null, resolvedAt: null });
      expect((await flagNode(open.id)).status).toBe('ACKNOWLEDGED');
    });

    it.each(NOT_TRIAGERS)('refuses %s with FORBIDDEN and changes nothing', async (who) => {
      const { v1 } = await world();
      const open = await flag(who, v1.id);
      const events = await eventCount(hub);
      expect(errorCode(await hub.as(who, AcknowledgeDriftDocument, { input: { driftFlagId: open.id } }))).toBe('FORBIDDEN');
      expect((await flagNode(open.id)).status).toBe('OPEN');
      expect(await eventCount(hub)).toBe(events);
    });

    it('answers CONFLICT to a second acknowledgement and to acknowledging a resolved flag', async () => {
      const { v1 } = await world();
      const first = await flag('sme', v1.id);
      ok(await hub.as('scientist', AcknowledgeDriftDocument, { input: { driftFlagId: first.id } }));
      let events = await eventCount(hub);
      expect(errorCode(await hub.as('mlEngineer', AcknowledgeDriftDocument, { input: { driftFlagId: first.id } }))).toBe('CONFLICT');
      expect((await flagNode(first.id)).status).toBe('ACKNOWLEDGED');
      expect(await eventCount(hub)).toBe(events);

      const second = await flag('sme', v1.id);
      ok(await hub.as('admin', ResolveDriftDocument, { input: { driftFlagId: second.id, resolution: 'False alarm: a test cohort.' } }));
      events = await eventCount(hub);
      expect(errorCode(await hub.as('scientist', AcknowledgeDriftDocument, { input: { driftFlagId: second.id } }))).toBe('CONFLICT');
      expect((await flagNode(second.id)).status).toBe('RESOLVED');
      expect(await eventCount(hub)).toBe(events);
    });

    it('answers NOT_FOUND for an unknown flag', async () => {
      expect(errorCode(await hub.as('scientist', AcknowledgeDriftDocument, { input: { driftFlagId: unknownId('DriftFlag') } }))).toBe('NOT_FOUND');
    });

    it('lets exactly one of 10 concurrent acknowledgements win; the others get CONFLICT and one event is written', async () => {
      const { v1 } = await world();
      const open = await flag('risk', v1.id, 'CRITICAL');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          hub.as(TRIAGERS[i % TRIAGERS.length], AcknowledgeDriftDocument, { input: { driftFlagId: open.id, comment: `attempt ${i}` } }),
        ),
      );
      const succeeded = results.filter((r) => !r.errors?.length);
      expect(succeeded).toHaveLength(1);
      expect(results.filter((r) => r.errors?.length).map((r) => r.errors![0].extensions?.code)).toEqual(Array(9).fill('CONFLICT'));
      expect((await flagNode(open.id)).status).toBe('ACKNOWLEDGED');
      expect((await flagEvents(open.id, ['DRIFT_ACKNOWLEDGED'])).totalCount).toBe(1);
    });
  });

  describe('resolveDrift', () => {
    it.each(TRIAGERS)('lets %s resolve an OPEN flag: RESOLVED with the resolution and resolvedAt', async (who) => {
      const { v1 } = await world();
      const open = await flag('sme', v1.id);
      const before = Date.now();
      const { driftFlag } = ok(
        await hub.as(who, ResolveDriftDocument, { input: { driftFlagId: open.id, resolution: '  Retrained on the new region.  ' } }),
      ).resolveDrift;
      expect(driftFlag).toMatchObject({ id: open.id, status: 'RESOLVED', resolution: 'Retrained on the new region.' });
      expect(driftFlag.resolvedAt).not.toBeNull();
      const resolvedAt = new Date(driftFlag.resolvedAt!).getTime();
      expect(resolvedAt).toBeGreaterThanOrEqual(before - 1_000);
      expect(resolvedAt).toBeLessThanOrEqual(Date.now() + 1_000);
      expect(await flagNode(open.id)).toMatchObject({
        status: 'RESOLVED',
        resolution: 'Retrained on the new region.',
        resolvedAt: driftFlag.resolvedAt,
      });
    });

    it('resolves an ACKNOWLEDGED flag', async () => {
      const { v1 } = await world();
      const open = await flag('sme', v1.id);
      ok(await hub.as('scientist', AcknowledgeDriftDocument, { input: { driftFlagId: open.id } }));
      const { driftFlag } = ok(
        await hub.as('mlEngineer', ResolveDriftDocument, { input: { driftFlagId: open.id, resolution: 'Feature pipeline fixed.' } }),
      ).resolveDrift;
      expect(driftFlag).toMatchObject({ status: 'RESOLVED', resolution: 'Feature pipeline fixed.' });
      expect(driftFlag.resolvedAt).not.toBeNull();
    });

    it.each(NOT_TRIAGERS)('refuses %s with FORBIDDEN and changes nothing', async (who) => {
      const { v1 } = await world();
      const open = await flag(who, v1.id);
      const events = await eventCount(hub);
      expect(errorCode(await hub.as(who, ResolveDriftDocument, { input: { driftFlagId: open.id, resolution: 'Fine by me.' } }))).toBe('FORBIDDEN');
      expect(await flagNode(open.id)).toMatchObject({ status: 'OPEN', resolution: null, resolvedAt: null });
      expect(await eventCount(hub)).toBe(events);
    });

    it.each([
      ['an empty resolution', ''],
      ['a whitespace-only resolution', '   '],
    ])('refuses %s with BAD_USER_INPUT and changes nothing', async (_what, resolution) => {
      const { v1 } = await world();
      const open = await flag('sme', v1.id);
      const events = await eventCount(hub);
      expect(errorCode(await hub.as('scientist', ResolveDriftDocument, { input: { driftFlagId: open.id, resolution } }))).toBe('BAD_USER_INPUT');
      expect(await flagNode(open.id)).toMatchObject({ status: 'OPEN', resolution: null, resolvedAt: null });
      expect(await eventCount(hub)).toBe(events);
    });

    it('refuses a missing resolution (GraphQL validation)', async () => {
      const { v1 } = await world();
      const open = await flag('sme', v1.id);
      const result = await hub.as('scientist', ResolveDriftDocument, { input: { driftFlagId: open.id } as never });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect((await flagNode(open.id)).status).toBe('OPEN');
    });

    it('answers CONFLICT to resolving twice and keeps the first resolution', async () => {
      const { v1 } = await world();
      const open = await flag('sme', v1.id);
      const first = ok(await hub.as('scientist', ResolveDriftDocument, { input: { driftFlagId: open.id, resolution: 'First answer.' } })).resolveDrift
        .driftFlag;
      const events = await eventCount(hub);
      expect(errorCode(await hub.as('admin', ResolveDriftDocument, { input: { driftFlagId: open.id, resolution: 'Second answer.' } }))).toBe(
        'CONFLICT',
      );
      expect(await flagNode(open.id)).toMatchObject({ status: 'RESOLVED', resolution: 'First answer.', resolvedAt: first.resolvedAt });
      expect(await eventCount(hub)).toBe(events);
    });
  });

  describe('lists', () => {
    it('Model.openDriftFlags: unresolved flags of every version, most severe first, ties newest first; resolved ones drop out', async () => {
      const { model, v1, v2 } = await world();
      const low = await flag('sme', v1.id, 'LOW');
      const critical1 = await flag('risk', v1.id, 'CRITICAL');
      const medium = await flag('scientist', v2.id, 'MEDIUM');
      const high = await flag('sme', v2.id, 'HIGH');
      const critical2 = await flag('dataEngineer', v2.id, 'CRITICAL');
      const high2 = await flag('sme2', v1.id, 'HIGH');
      // Another model's flags stay out.
      const other = await world();
      await flag('sme', other.v1.id, 'CRITICAL');

      const open = async () => having(ok(await hub.as('sme', LcModelOpenDriftDocument, { id: model.id })).node, 'openDriftFlags').openDriftFlags;
      expect((await open()).map((f) => f.id)).toEqual([critical2.id, critical1.id, high2.id, high.id, medium.id, low.id]);
      expect((await open()).map((f) => f.severity)).toEqual(['CRITICAL', 'CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'LOW']);

      ok(await hub.as('scientist', AcknowledgeDriftDocument, { input: { driftFlagId: critical1.id } }));
      ok(await hub.as('scientist', ResolveDriftDocument, { input: { driftFlagId: critical2.id, resolution: 'Upstream bug fixed.' } }));
      ok(await hub.as('mlEngineer', ResolveDriftDocument, { input: { driftFlagId: medium.id, resolution: 'Expected seasonality.' } }));
      const after = await open();
      expect(after.map((f) => f.id)).toEqual([critical1.id, high2.id, high.id, low.id]);
      expect(after.map((f) => f.status)).toEqual(['ACKNOWLEDGED', 'OPEN', 'OPEN', 'OPEN']);
    });

    it('ModelVersion.driftFlags lists its own flags newest first and filters by status', async () => {
      const { v1, v2 } = await world();
      const a = await flag('sme', v1.id, 'LOW');
      const b = await flag('sme', v1.id, 'HIGH');
      const c = await flag('sme', v1.id, 'MEDIUM');
      await flag('sme', v2.id, 'CRITICAL');
      ok(await hub.as('scientist', AcknowledgeDriftDocument, { input: { driftFlagId: b.id } }));
      ok(await hub.as('scientist', ResolveDriftDocument, { input: { driftFlagId: c.id, resolution: 'Done.' } }));

      const list = async (status?: DriftStatus) =>
        having(ok(await hub.as('risk', LcVersionDriftDocument, { id: v1.id, status })).node, 'driftFlags').driftFlags.map((f) => [f.id, f.status]);
      expect(await list()).toEqual([
        [c.id, 'RESOLVED'],
        [b.id, 'ACKNOWLEDGED'],
        [a.id, 'OPEN'],
      ]);
      expect(await list('OPEN')).toEqual([[a.id, 'OPEN']]);
      expect(await list('ACKNOWLEDGED')).toEqual([[b.id, 'ACKNOWLEDGED']]);
      expect(await list('RESOLVED')).toEqual([[c.id, 'RESOLVED']]);
    });

    it('Query.driftFlags filters by status, minSeverity and modelId, together or alone', async () => {
      const { model, v1, v2 } = await world();
      const low = await flag('sme', v1.id, 'LOW');
      const medium = await flag('sme', v2.id, 'MEDIUM');
      const high = await flag('sme', v1.id, 'HIGH');
      const critical = await flag('sme', v2.id, 'CRITICAL');
      ok(await hub.as('scientist', ResolveDriftDocument, { input: { driftFlagId: critical.id, resolution: 'Rolled back.' } }));
      ok(await hub.as('scientist', AcknowledgeDriftDocument, { input: { driftFlagId: low.id } }));
      const other = await world();
      const otherHigh = await flag('sme', other.v1.id, 'HIGH');

      const ids = async (args: { status?: DriftStatus; minSeverity?: Severity; modelId?: string }) =>
        ok(await hub.as('risk', LcDriftFlagsDocument, { first: 100, ...args })).driftFlags;

      const ofModel = await ids({ modelId: model.id });
      expect(ofModel.totalCount).toBe(4);
      expect(ofModel.nodes.map((f) => f.id)).toEqual([critical.id, high.id, medium.id, low.id]);
      expect(ofModel.nodes.every((f) => f.modelVersion.model.id === model.id)).toBe(true);

      const severe = await ids({ modelId: model.id, minSeverity: 'HIGH' });
      expect(severe.nodes.map((f) => f.id)).toEqual([critical.id, high.id]);
      expect(severe.totalCount).toBe(2);
      expect((await ids({ modelId: model.id, minSeverity: 'LOW' })).totalCount).toBe(4);
      expect((await ids({ modelId: model.id, minSeverity: 'CRITICAL' })).nodes.map((f) => f.id)).toEqual([critical.id]);
      expect((await ids({ modelId: model.id, minSeverity: 'MEDIUM' })).nodes.map((f) => f.id)).toEqual([critical.id, high.id, medium.id]);

      expect((await ids({ modelId: model.id, status: 'OPEN' })).nodes.map((f) => f.id)).toEqual([high.id, medium.id]);
      expect((await ids({ modelId: model.id, status: 'RESOLVED' })).nodes.map((f) => f.id)).toEqual([critical.id]);
      expect((await ids({ modelId: model.id, status: 'ACKNOWLEDGED' })).nodes.map((f) => f.id)).toEqual([low.id]);
      expect((await ids({ modelId: model.id, status: 'OPEN', minSeverity: 'HIGH' })).nodes.map((f) => f.id)).toEqual([high.id]);

      const everyModelHigh = await ids({ minSeverity: 'HIGH', status: 'OPEN' });
      expect(everyModelHigh.nodes.map((f) => f.id)).toContain(otherHigh.id);
      expect(everyModelHigh.nodes.map((f) => f.id)).toContain(high.id);
      expect(everyModelHigh.nodes.every((f) => f.status === 'OPEN' && (f.severity === 'HIGH' || f.severity === 'CRITICAL'))).toBe(true);
      expect((await ids({ modelId: other.model.id })).nodes.map((f) => f.id)).toEqual([otherHigh.id]);
    });
  });

  describe('events', () => {
    it('writes DRIFT_FLAGGED, DRIFT_ACKNOWLEDGED and DRIFT_RESOLVED about the flag, with severity, status and a readable summary', async () => {
      const { goal, model, v1 } = await world();
      const open = await flag('risk', v1.id, 'CRITICAL', { kind: 'BUSINESS', metric: 'approval rate', observed: 0.4, expected: 0.6 });
      ok(await hub.as('scientist', AcknowledgeDriftDocument, { input: { driftFlagId: open.id, comment: 'On it.' } }));
      ok(await hub.as('mlEngineer', ResolveDriftDocument, { input: { driftFlagId: open.id, resolution: 'Threshold recalibrated.' } }));

      const { nodes, totalCount } = await flagEvents(open.id);
      expect(totalCount).toBe(3);
      expect(nodes.map((e) => e.type)).toEqual(['DRIFT_RESOLVED', 'DRIFT_ACKNOWLEDGED', 'DRIFT_FLAGGED']);
      const [resolved, acknowledged, flagged] = nodes;
      for (const [event, actor] of [
        [flagged, 'risk'],
        [acknowledged, 'scientist'],
        [resolved, 'mlEngineer'],
      ] as const) {
        expect(event).toMatchObject({
          origin: 'API',
          actor: { id: hub.users[actor].id },
          subject: { __typename: 'DriftFlag', id: open.id },
          goal: { id: goal.id },
          model: { id: model.id },
          modelVersion: { id: v1.id },
        });
        expect(event.summary).toContain(model.name);
        expect(event.summary).toContain('v1');
        expect(event.summary).toContain(hub.users[actor].name);
        expect(event.summary).not.toMatch(/[\r\n]/);
      }
      expect(resolved.summary).toContain('Threshold recalibrated.');
      expect(nodes.map((e) => [e.type, e.data.severity, e.data.status])).toEqual([
        ['DRIFT_RESOLVED', 'CRITICAL', 'RESOLVED'],
        ['DRIFT_ACKNOWLEDGED', 'CRITICAL', 'ACKNOWLEDGED'],
        ['DRIFT_FLAGGED', 'CRITICAL', 'OPEN'],
      ]);
    });

    it('keeps the summaries on one line when the resolution and comment have several lines', async () => {
      const { v1 } = await world();
      const open = await flag('sme', v1.id, 'HIGH');
      ok(await hub.as('scientist', AcknowledgeDriftDocument, { input: { driftFlagId: open.id, comment: 'Seen.\nChecking the feature store.' } }));
      ok(
        await hub.as('scientist', ResolveDriftDocument, {
          input: { driftFlagId: open.id, resolution: 'Root cause: late batch.\nBackfilled and retrained.' },
        }),
      );
      const { nodes } = await flagEvents(open.id);
      expect(nodes).toHaveLength(3);
      expect(nodes.filter((e) => /[\r\n]/.test(e.summary)).map((e) => `${e.type}: ${JSON.stringify(e.summary)}`)).toEqual([]);
    });
  });

  describe('a flag is a Node and Discussable', () => {
    it('resolves through node(id) and takes comments', async () => {
      const { v1 } = await world();
      const open = await flag('sme', v1.id, 'MEDIUM');
      const { comment } = ok(
        await hub.as('mlEngineer', AddCommentDocument, { input: { subjectId: open.id, body: 'Same pattern as last quarter.' } }),
      ).addComment;
      expect(comment.subject).toEqual({ id: open.id, __typename: 'DriftFlag' });
      const node = await flagNode(open.id);
      expect(node).toMatchObject({ __typename: 'DriftFlag', id: open.id, severity: 'MEDIUM', modelVersion: { id: v1.id } });
      expect(node.comments.totalCount).toBe(1);
      expect(node.comments.nodes[0]).toMatchObject({
        id: comment.id,
        body: 'Same pattern as last quarter.',
        subject: { id: open.id, __typename: 'DriftFlag' },
      });
    });
  });
});
