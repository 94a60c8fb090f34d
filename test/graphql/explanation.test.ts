import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  AddCommentDocument,
  CoExplanationDocument,
  CoInboxDocument,
  CreateServiceAccountDocument,
  DisputeOutcomeDocument,
  LcVersionFeedbackDocument,
  RecordPredictionExplanationsDocument,
  SubmitFeedbackDocument,
} from '../../src/generated/operations';
import { eventCount } from '../helpers/audit';
import { errorCode, having, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { goalWithModel } from '../helpers/fixtures';
import { startHub, type TestHub } from '../helpers/hub';
import { unknownId } from '../helpers/ids';

type Item = {
  subjectKey: string;
  prediction: string;
  score?: number | null;
  attributions: { feature: string; value?: string | null; contribution: number }[];
};

const customer = (subjectKey: string, prediction = 'flagged'): Item => ({
  subjectKey,
  prediction,
  score: 0.91,
  attributions: [
    { feature: 'tenure_months', value: '3', contribution: 0.12 },
    { feature: 'late_payments', value: '4', contribution: 0.41 },
    { feature: 'income', value: '52000', contribution: -0.27 },
  ],
});

forEachDialect((dialect) => {
  let hub: TestHub;
  let n = 0;

  beforeAll(async () => {
    hub = await startHub(dialect);
  });
  afterAll(() => hub?.close());

  /** A new model (owned by the data scientist) and its version. */
  async function version() {
    n++;
    const { versions } = await goalWithModel(hub, { title: `Fraud ${n}`, businessQuestion: 'Who is a fraud risk?', model: `fraud-${n}` });
    return versions[0].id;
  }
  const record = (who: Parameters<TestHub['as']>[0], modelVersionId: string, items: Item[]) =>
    hub.as(who, RecordPredictionExplanationsDocument, { input: { modelVersionId, items } });
  const lookUp = async (versionId: string, subjectKey: string) =>
    having(ok(await hub.as('sme', CoExplanationDocument, { id: versionId, subjectKey })).node, 'explanation').explanation;

  it('records explanations in bulk with one event, and shows one by subject key, largest contribution first', async () => {
    const versionId = await version();
    const events = await eventCount(hub);
    const result = ok(await record('scientist', versionId, [customer('4711'), customer('4712', 'cleared')])).recordPredictionExplanations;
    expect(result).toEqual({ recorded: 2, updated: 0 });
    expect(await eventCount(hub)).toBe(events + 1);
    const explanation = await lookUp(versionId, '4711');
    expect(explanation).toMatchObject({ subjectKey: '4711', prediction: 'flagged', score: 0.91, modelVersion: { id: versionId } });
    expect(explanation!.attributions.map((a) => a.feature)).toEqual(['late_payments', 'income', 'tenure_months']);
    expect(explanation!.attributions[1]).toEqual({ feature: 'income', value: '52000', contribution: -0.27 });
    expect(await lookUp(versionId, '9999')).toBeNull();
  });

  it('is idempotent by subject key: a repeat changes nothing, a changed explanation replaces the old one', async () => {
    const versionId = await version();
    ok(await record('scientist', versionId, [customer('1'), customer('2')]));
    const before = await lookUp(versionId, '1');
    const events = await eventCount(hub);
    expect(ok(await record('mlEngineer', versionId, [customer('1'), customer('2')])).recordPredictionExplanations).toEqual({
      recorded: 0,
      updated: 0,
    });
    expect(await eventCount(hub)).toBe(events);
    expect(ok(await record('mlEngineer', versionId, [customer('1', 'cleared'), customer('2'), customer('3')])).recordPredictionExplanations).toEqual({
      recorded: 1,
      updated: 1,
    });
    expect(await eventCount(hub)).toBe(events + 1);
    const after = await lookUp(versionId, '1');
    expect(after).toMatchObject({ id: before!.id, prediction: 'cleared' });
  });

  it('writes nothing when one item is bad, and refuses more than 1,000 items or 200 features', async () => {
    const versionId = await version();
    const events = await eventCount(hub);
    const bad: Item[] = [
      { ...customer('ok'), subjectKey: ' ' },
      {
        ...customer('ok'),
        attributions: [
          { feature: 'a', contribution: 1 },
          { feature: 'a', contribution: 2 },
        ],
      },
      { ...customer('ok'), prediction: 'x'.repeat(201) },
      { ...customer('ok'), attributions: Array.from({ length: 201 }, (_, i) => ({ feature: `f${i}`, contribution: i })) },
      { ...customer('ok'), subjectKey: 'nul\u0000' },
    ];
    for (const item of bad) expect(errorCode(await record('scientist', versionId, [customer('good'), item]))).toBe('BAD_USER_INPUT');
    expect(errorCode(await record('scientist', versionId, [customer('twice'), customer('twice')]))).toBe('BAD_USER_INPUT');
    expect(errorCode(await record('scientist', versionId, []))).toBe('BAD_USER_INPUT');
    const many = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ subjectKey: `s${i}`, prediction: 'p', attributions: [{ feature: 'f', contribution: 0.1 }] }));
    expect(errorCode(await record('scientist', versionId, many(1001)))).toBe('BAD_USER_INPUT');
    expect(errorCode(await record('scientist', unknownId('ModelVersion'), [customer('good')]))).toBe('NOT_FOUND');
    expect(await lookUp(versionId, 'good')).toBeNull();
    expect(await eventCount(hub)).toBe(events);
    expect(ok(await record('scientist', versionId, many(1000))).recordPredictionExplanations.recorded).toBe(1000);
    const widest = { ...customer('wide'), attributions: Array.from({ length: 200 }, (_, i) => ({ feature: `f${i}`, contribution: i + 1 })) };
    ok(await record('scientist', versionId, [widest]));
    const features = (await lookUp(versionId, 'wide'))!.attributions;
    expect(features).toHaveLength(200);
    expect(features[0]).toEqual({ feature: 'f199', value: null, contribution: 200 });
  });

  it('lets builders and their service accounts record, not SMEs or risk managers', async () => {
    const versionId = await version();
    for (const who of ['sme', 'risk'] as const) expect(errorCode(await record(who, versionId, [customer(who)]))).toBe('FORBIDDEN');
    const { token } = ok(
      await hub.as('admin', CreateServiceAccountDocument, { input: { name: `scorer ${n}`, roles: ['DATA_ENGINEER'] } }),
    ).createServiceAccount;
    expect(
      ok(await hub.as({ token }, RecordPredictionExplanationsDocument, { input: { modelVersionId: versionId, items: [customer('pipeline')] } }))
        .recordPredictionExplanations.recorded,
    ).toBe(1);
    expect(await lookUp(versionId, 'sme')).toBeNull();
  });

  it("turns a dispute into OUTCOME feedback linked to the explanation, and notifies the model's owner", async () => {
    const versionId = await version();
    ok(await record('scientist', versionId, [customer('4711')]));
    const explanation = await lookUp(versionId, '4711');
    const unread = ok(await hub.as('scientist', CoInboxDocument, { unreadOnly: true })).viewer.unreadNotificationCount;
    const { feedback } = ok(
      await hub.as('sme', DisputeOutcomeDocument, {
        input: { explanationId: explanation!.id, comment: 'This customer paid late because of our outage.' },
      }),
    ).disputeOutcome;
    expect(feedback).toMatchObject({
      kind: 'OUTCOME',
      verdict: 'MISSES_GOAL',
      explanation: { id: explanation!.id, subjectKey: '4711' },
      modelVersion: { id: versionId },
      author: { id: hub.users.sme.id },
    });
    const inbox = ok(await hub.as('scientist', CoInboxDocument, { unreadOnly: true, first: 1 })).viewer;
    expect(inbox.unreadNotificationCount).toBe(unread + 1);
    expect(inbox.notifications.nodes[0]).toMatchObject({
      reason: 'OUTCOME_DISPUTED',
      event: { type: 'OUTCOME_DISPUTED', subject: { id: feedback.id } },
    });
    expect(
      ok(await hub.as('sme', CoInboxDocument, { unreadOnly: true })).viewer.notifications.nodes.some((x) => x.event.type === 'OUTCOME_DISPUTED'),
    ).toBe(false);
    const listed = having(ok(await hub.as('scientist', LcVersionFeedbackDocument, { id: versionId })).node, 'feedback').feedback.nodes;
    expect(listed.map((f) => f.id)).toContain(feedback.id);
    const general = ok(await hub.as('sme', SubmitFeedbackDocument, { input: { modelVersionId: versionId, verdict: 'MEETS_GOAL' } })).submitFeedback
      .feedback;
    expect(general.id).not.toBe(feedback.id);
  });

  it('refuses a dispute without a reason or of an unknown explanation, and takes comments on an explanation', async () => {
    const versionId = await version();
    ok(await record('scientist', versionId, [customer('77')]));
    const explanation = await lookUp(versionId, '77');
    const events = await eventCount(hub);
    expect(errorCode(await hub.as('sme', DisputeOutcomeDocument, { input: { explanationId: explanation!.id, comment: '  ' } }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      errorCode(await hub.as('sme', DisputeOutcomeDocument, { input: { explanationId: unknownId('PredictionExplanation'), comment: 'wrong' } })),
    ).toBe('NOT_FOUND');
    expect(errorCode(await hub.as('sme', DisputeOutcomeDocument, { input: { explanationId: versionId, comment: 'wrong' } }))).toBe('NOT_FOUND');
    expect(await eventCount(hub)).toBe(events);
    ok(await hub.as('sme', AddCommentDocument, { input: { subjectId: explanation!.id, body: 'Why does income count against?' } }));
    const after = await lookUp(versionId, '77');
    expect(after!.comments.totalCount).toBe(1);
    expect(after!.updatedAt).toBe(explanation!.updatedAt);
  });
});
