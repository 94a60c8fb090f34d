import { afterAll, beforeAll, expect, it } from 'vitest';
import { CreateModelVersionDocument, FlagDriftManyDocument, RegisterModelDocument, RequestPromotionDocument } from '../../src/generated/operations';
import { eventCount } from '../helpers/audit';
import { errorCode, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { goalWithModel } from '../helpers/fixtures';
import { startHub, type HubOptions, type TestHub } from '../helpers/hub';
import { unknownId } from '../helpers/ids';

/** Promotions apply at once here: the suite is about the versions in production, not how they got there. */
const POLICY = { STAGING: [], PRODUCTION: [], ARCHIVED: [] } as unknown as HubOptions['policy'];

forEachDialect((dialect) => {
  let hub: TestHub;
  let n = 0;

  beforeAll(async () => {
    hub = await startHub(dialect, { policy: POLICY });
  });
  afterAll(() => hub?.close());

  /** A goal with two models, each with v1 in PRODUCTION and v2 not. */
  async function goalInProduction() {
    n++;
    const first = await goalWithModel(hub, { title: `Fleet ${n}`, businessQuestion: 'Which drift?', model: `fleet-a-${n}` }, [
      'scientist',
      'scientist',
    ]);
    const other = ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId: first.goal.id, name: `fleet-b-${n}` } })).registerModel
      .model;
    const otherV1 = ok(await hub.as('scientist', CreateModelVersionDocument, { input: { modelId: other.id } })).createModelVersion.modelVersion;
    for (const version of [first.versions[0], otherV1]) {
      ok(await hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: version.id, toStage: 'PRODUCTION' } }));
    }
    return { goal: first.goal, production: [first.versions[0].id, otherV1.id], notInProduction: first.versions[1].id };
  }

  const input = { kind: 'BUSINESS' as const, severity: 'HIGH' as const, description: 'Approval rates fell after the rate change.' };

  it('flags every version in production under a goal, one event each', async () => {
    const { goal, production } = await goalInProduction();
    const events = await eventCount(hub);
    const { driftFlags } = ok(await hub.as('sme', FlagDriftManyDocument, { input: { goalId: goal.id, ...input } })).flagDriftMany;
    expect(driftFlags.map((f) => f.modelVersion.id).sort()).toEqual([...production].sort());
    expect(driftFlags.every((f) => f.status === 'OPEN' && f.severity === 'HIGH' && f.raisedBy.id === hub.users.sme.id)).toBe(true);
    expect(await eventCount(hub)).toBe(events + 2);
  });

  it('flags a list of versions, and merges an identical open flag by the same person instead of adding one', async () => {
    const { production, notInProduction } = await goalInProduction();
    const [first] = ok(await hub.as('risk', FlagDriftManyDocument, { input: { modelVersionIds: [production[0]], ...input } })).flagDriftMany
      .driftFlags;
    const events = await eventCount(hub);
    const again = ok(
      await hub.as('risk', FlagDriftManyDocument, { input: { modelVersionIds: [production[0], notInProduction, production[0]], ...input } }),
    ).flagDriftMany.driftFlags;
    expect(again).toHaveLength(2);
    expect(again[0].id).toBe(first.id);
    expect(again[1].modelVersion.id).toBe(notInProduction);
    expect(await eventCount(hub)).toBe(events + 1);
    const someoneElse = ok(await hub.as('sme', FlagDriftManyDocument, { input: { modelVersionIds: [production[0]], ...input } })).flagDriftMany
      .driftFlags;
    expect(someoneElse[0].id).not.toBe(first.id);
  });

  it('writes nothing when one version does not exist, or the goal has nothing in production', async () => {
    const { production } = await goalInProduction();
    const empty = await goalWithModel(hub, { title: `Empty ${n}`, businessQuestion: 'None?', model: `empty-${n}` });
    const events = await eventCount(hub);
    expect(
      errorCode(await hub.as('sme', FlagDriftManyDocument, { input: { modelVersionIds: [production[0], unknownId('ModelVersion')], ...input } })),
    ).toBe('NOT_FOUND');
    expect(errorCode(await hub.as('sme', FlagDriftManyDocument, { input: { goalId: empty.goal.id, ...input } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await hub.as('sme', FlagDriftManyDocument, { input: { goalId: unknownId('Goal'), ...input } }))).toBe('NOT_FOUND');
    expect(await eventCount(hub)).toBe(events);
  });

  it('refuses both or neither of goalId and modelVersionIds, and more than 100 versions', async () => {
    const { goal, production } = await goalInProduction();
    expect(errorCode(await hub.as('sme', FlagDriftManyDocument, { input: { goalId: goal.id, modelVersionIds: production, ...input } }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(errorCode(await hub.as('sme', FlagDriftManyDocument, { input: { modelVersionIds: [], ...input } }))).toBe('BAD_USER_INPUT');
    expect(
      errorCode(
        await hub.as('sme', FlagDriftManyDocument, { input: { modelVersionIds: Array.from({ length: 101 }, () => production[0]), ...input } }),
      ),
    ).toBe('BAD_USER_INPUT');
  });
});
