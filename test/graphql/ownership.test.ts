import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CoInboxDocument,
  CoModelSearchDocument,
  CreateExperimentDocument,
  FlagDriftDocument,
  RegisterModelDocument,
  ResolveDriftDocument,
  TransferOwnershipDocument,
  UpdateModelDocument,
} from '../../src/generated/operations';
import { eventCount } from '../helpers/audit';
import { errorCode, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { worldMaker } from '../helpers/fixtures';
import { startHub, type TestHub } from '../helpers/hub';

forEachDialect((dialect) => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(() => hub?.close());

  const world = worldMaker(
    () => hub,
    (n) => ({
      title: `Inventory ${n}`,
      businessQuestion: 'Whose is it?',
      model: `inventory-model-${n}`,
      secondVersionBy: 'scientist',
    }),
  );

  describe('transferOwnership', () => {
    it('hands a model to another builder, records the event and notifies the new owner', async () => {
      const { model } = await world();
      const events = await eventCount(hub);
      const { subject } = ok(
        await hub.as('scientist', TransferOwnershipDocument, { input: { subjectId: model.id, newOwnerId: hub.users.mlEngineer.id } }),
      ).transferOwnership;
      expect(subject).toEqual({ id: model.id, __typename: 'Model', owner: { id: hub.users.mlEngineer.id } });
      expect(await eventCount(hub)).toBe(events + 1);
      const [newest] = ok(await hub.as('mlEngineer', CoInboxDocument, { unreadOnly: true, first: 1 })).viewer.notifications.nodes;
      expect(newest).toMatchObject({
        reason: 'OWNERSHIP_TRANSFERRED',
        event: { type: 'OWNERSHIP_TRANSFERRED', subject: { id: model.id }, data: { from: hub.users.scientist.id, to: hub.users.mlEngineer.id } },
      });
    });

    it('hands a goal to another SME and an experiment to another builder; ADMIN may hand over anything', async () => {
      const { goal } = await world();
      expect(
        ok(await hub.as('sme', TransferOwnershipDocument, { input: { subjectId: goal.id, newOwnerId: hub.users.sme2.id } })).transferOwnership
          .subject,
      ).toMatchObject({ __typename: 'Goal', owner: { id: hub.users.sme2.id } });
      const experiment = ok(await hub.as('scientist', CreateExperimentDocument, { input: { goalId: goal.id, name: 'Handed over' } })).createExperiment
        .experiment;
      expect(
        ok(await hub.as('admin', TransferOwnershipDocument, { input: { subjectId: experiment.id, newOwnerId: hub.users.dataEngineer.id } }))
          .transferOwnership.subject,
      ).toMatchObject({ __typename: 'Experiment', owner: { id: hub.users.dataEngineer.id } });
    });

    it('refuses anyone but the owner or ADMIN (FORBIDDEN), an owner without the role (BAD_USER_INPUT), other objects (NOT_FOUND), writing nothing', async () => {
      const { goal, model, v1 } = await world();
      const events = await eventCount(hub);
      expect(
        errorCode(await hub.as('mlEngineer', TransferOwnershipDocument, { input: { subjectId: model.id, newOwnerId: hub.users.mlEngineer.id } })),
      ).toBe('FORBIDDEN');
      expect(errorCode(await hub.as('sme', TransferOwnershipDocument, { input: { subjectId: goal.id, newOwnerId: hub.users.scientist.id } }))).toBe(
        'BAD_USER_INPUT',
      );
      expect(
        errorCode(await hub.as('scientist', TransferOwnershipDocument, { input: { subjectId: model.id, newOwnerId: hub.users.scientist.id } })),
      ).toBe('BAD_USER_INPUT');
      expect(
        errorCode(await hub.as('scientist', TransferOwnershipDocument, { input: { subjectId: v1.id, newOwnerId: hub.users.mlEngineer.id } })),
      ).toBe('NOT_FOUND');
      expect(errorCode(await hub.as('scientist', TransferOwnershipDocument, { input: { subjectId: model.id, newOwnerId: goal.id } }))).toBe(
        'NOT_FOUND',
      );
      expect(await eventCount(hub)).toBe(events);
    });
  });

  describe('modelSearch', () => {
    const search = async (filter: Record<string, unknown>) => ok(await hub.as('risk', CoModelSearchDocument, { filter, first: 100 })).modelSearch;

    it('combines owner, goal, text, stage and open drift, newest first', async () => {
      const { goal, model, v1 } = await world();
      const other = ok(await hub.as('mlEngineer', RegisterModelDocument, { input: { goalId: goal.id, name: `fraud-${Date.now()}` } })).registerModel
        .model;
      ok(await hub.as('scientist', UpdateModelDocument, { input: { modelId: model.id, description: 'Scores LOAN_risk 100% of applicants' } }));
      expect((await search({ goalId: goal.id })).nodes.map((m) => m.id)).toEqual([other.id, model.id]);
      expect((await search({ goalId: goal.id, ownerId: hub.users.mlEngineer.id })).nodes.map((m) => m.id)).toEqual([other.id]);
      expect((await search({ goalId: goal.id, search: 'loan_RISK 100%' })).nodes.map((m) => m.id)).toEqual([model.id]);
      expect((await search({ goalId: goal.id, search: 'FRAUD' })).nodes.map((m) => m.id)).toEqual([other.id]);
      expect((await search({ goalId: goal.id, search: '_' })).totalCount).toBe(1);
      expect((await search({ goalId: goal.id, stage: 'NONE' })).nodes.map((m) => m.id)).toEqual([model.id]);
      expect((await search({ goalId: goal.id, hasOpenDrift: true })).totalCount).toBe(0);
      const flag = ok(
        await hub.as('sme', FlagDriftDocument, { input: { modelVersionId: v1.id, kind: 'DATA', severity: 'LOW', description: 'moved' } }),
      ).flagDrift.driftFlag;
      expect((await search({ goalId: goal.id, hasOpenDrift: true })).nodes.map((m) => m.id)).toEqual([model.id]);
      expect((await search({ goalId: goal.id, hasOpenDrift: false })).nodes.map((m) => m.id)).toEqual([other.id]);
      ok(await hub.as('scientist', ResolveDriftDocument, { input: { driftFlagId: flag.id, resolution: 'fixed' } }));
      expect((await search({ goalId: goal.id, hasOpenDrift: true })).totalCount).toBe(0);
    });

    it('refuses a search text over 200 characters and unknown goals or owners', async () => {
      expect(errorCode(await hub.as('risk', CoModelSearchDocument, { filter: { search: 'x'.repeat(201) } }))).toBe('BAD_USER_INPUT');
      const { goal } = await world();
      expect(errorCode(await hub.as('risk', CoModelSearchDocument, { filter: { ownerId: goal.id } }))).toBe('NOT_FOUND');
      expect(errorCode(await hub.as('risk', CoModelSearchDocument, { filter: { search: 'a\u0000b' } }))).toBe('BAD_USER_INPUT');
    });
  });
});
