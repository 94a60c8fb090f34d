import { describe, expect, it } from 'vitest';
import {
  CreateUserDocument,
  FlagDriftDocument,
  RecordDeploymentDocument,
  RequestPromotionDocument,
  ResolveDriftDocument,
  ReviewPromotionDocument,
  ScDriftFlagsDocument,
  ScEventsDocument,
  ScModelDocument,
  ScRequestDocument,
  ScRequestsDocument,
  ScVersionFeedbackDocument,
  SubmitFeedbackDocument,
  UpdateGoalDocument,
  type EventFilter,
  type Stage,
} from '../../../../src/generated/operations';
import { fromGlobalId } from '../../../../src/domain/ids';
import { eventCount } from '../../../helpers/audit';
import { having, ok } from '../../../helpers/client';
import { forEachDialect } from '../../../helpers/db';
import { goalWithModel } from '../../../helpers/fixtures';
import { PEOPLE, type Person } from '../../../helpers/hub';
import { unknownId } from '../../../helpers/ids';
import { postToSlackEndpoint, sign, slashCommand, slashCommandForm } from '../../../helpers/slack';
import { useSlackHub } from '../../../helpers/slack-hub';

/** The Slack member each test user is linked to. */
const SLACK: Record<Person, string> = {
  admin: 'UADMIN01',
  sme: 'USME0001',
  sme2: 'USME0002',
  scientist: 'USCI0001',
  dataEngineer: 'UDENG001',
  mlEngineer: 'UMLE0001',
  risk: 'URISK001',
};
const STRANGER = 'UNOBODY42';

const USAGE = {
  promote: 'Usage: `/mlops promote <model>@<n> <staging|production|archived> [justification]`',
  approve: 'Usage: `/mlops approve <request> [comment]`',
  reject: 'Usage: `/mlops reject <request> <comment>`',
  drift: 'Usage: `/mlops drift <model>[@<n>][,<model>[@<n>]…] <low|medium|high|critical> [data|concept|performance|business] <description>`',
  feedback: 'Usage: `/mlops feedback <model>[@<n>] <meets|partial|misses> [comment]`',
  status: 'Usage: `/mlops status <model>`',
  follow: 'Usage: `/mlops follow <model | goal ID>`',
  unfollow: 'Usage: `/mlops unfollow <model | goal ID>`',
};

interface Reply {
  response_type: string;
  text: string;
  blocks?: { type: string; text?: { text: string }; fields?: { text: string }[] }[];
}

/** `PR-12` for a request's global ID, as the bot shows it. */
function prRef(requestId: string): string {
  const parsed = fromGlobalId(requestId);
  if (parsed?.type !== 'PromotionRequest') throw new Error(`not a request ID: ${requestId}`);
  return `PR-${parsed.id}`;
}

forEachDialect((dialect) => {
  const slack = useSlackHub(dialect, SLACK);
  let seq = 0;
  /** Zero-padded, so that no name is the prefix of another. */
  const unique = (prefix: string) => `${prefix}-${String(++seq).padStart(5, '0')}`;
  /** A fresh Slack channel ID per use, so that follows of one test never reach another's. */
  const newChannel = () => `C${dialect === 'sqlite' ? 'S' : 'P'}${String(++seq).padStart(5, '0')}`;

  /** Types `/mlops <text>` in Slack as `who` (a test user, or a raw Slack member ID); the ephemeral answer. */
  async function slash(who: Person | string, text: string, channel = 'CGENERAL'): Promise<Reply> {
    const res = await slashCommand(slack.events, slack.fake, who in SLACK ? SLACK[who as Person] : who, text, channel);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral', text: expect.any(String) });
    return res.json as unknown as Reply;
  }

  async function eventsOf(filter: EventFilter) {
    return ok(await slack.hub.as('admin', ScEventsDocument, { filter, first: 100 })).events.nodes;
  }

  /** Runs `fn` and checks that it recorded no lifecycle event (every change records one). */
  async function changesNothing<T>(fn: () => Promise<T>): Promise<T> {
    const before = await eventCount(slack.hub);
    const result = await fn();
    expect(await eventCount(slack.hub)).toBe(before);
    return result;
  }

  /** A goal (by the SME) with a model (by the scientist) and `count` versions, all in stage NONE. */
  async function modelWith(count: number) {
    const names = { title: unique('Cut churn'), businessQuestion: 'Who will leave?', model: unique('churn') };
    const { goal, model, versions } = await goalWithModel(slack.hub, names, Array<Person>(count).fill('scientist'));
    return { goal, model, versions, name: model.name };
  }

  async function requestVia(who: Person, modelVersionId: string, toStage: Stage, justification?: string) {
    return ok(await slack.hub.as(who, RequestPromotionDocument, { input: { modelVersionId, toStage, justification } })).requestPromotion
      .promotionRequest;
  }

  async function approveVia(who: Person, promotionRequestId: string) {
    return ok(await slack.hub.as(who, ReviewPromotionDocument, { input: { promotionRequestId, decision: 'APPROVE' } })).reviewPromotion
      .promotionRequest;
  }

  /** Through the API: requested by the scientist, approved by the SME and the risk manager. */
  async function toProduction(modelVersionId: string): Promise<void> {
    const request = await requestVia('scientist', modelVersionId, 'PRODUCTION');
    await approveVia('sme', request.id);
    expect((await approveVia('risk', request.id)).status).toBe('APPROVED');
  }

  async function requestNode(id: string) {
    return having(ok(await slack.hub.as('admin', ScRequestDocument, { id })).node, 'status');
  }

  async function modelNode(id: string) {
    return having(ok(await slack.hub.as('admin', ScModelDocument, { id })).node, 'versions');
  }

  async function requestsOf(modelId: string) {
    return ok(await slack.hub.as('admin', ScRequestsDocument, { modelId })).promotionRequests;
  }

  async function flagsOf(modelId: string) {
    return ok(await slack.hub.as('admin', ScDriftFlagsDocument, { modelId })).driftFlags;
  }

  async function feedbackOf(modelVersionId: string) {
    return having(ok(await slack.hub.as('admin', ScVersionFeedbackDocument, { id: modelVersionId })).node, 'feedback').feedback;
  }

  /** The one request a command created, found from the `*PR-n*` in its answer and checked against the API. */
  async function requestFromReply(reply: Reply, modelId: string) {
    const ref = /\*(PR-\d+)\*/.exec(reply.text)?.[1];
    expect(ref, reply.text).toBeDefined();
    const request = (await requestsOf(modelId)).nodes.find((r) => prRef(r.id) === ref);
    expect(request, `${ref} among the model's requests`).toBeDefined();
    return request!;
  }

  /** A message the notifier posted (at the top level or in a thread) in `channel` containing `marker`. */
  const postIn = (channel: string, marker: string) => (c: { method: string; args: Record<string, unknown> }) =>
    c.method === 'chat.postMessage' && c.args.channel === channel && String(c.args.text).includes(marker);

  describe('help and identity', () => {
    it('answers help with the usage of every subcommand', async () => {
      const { text, blocks } = await slash('scientist', 'help');
      expect(text).toContain('*ModelOps Hub*');
      for (const usage of [
        'help',
        'whoami',
        'status <model>',
        'pending',
        'promote <model>@<n> <staging|production|archived> [justification]',
        'approve <request> [comment]',
        'reject <request> <comment>',
        'drift <model>[@<n>][,<model>[@<n>]…] <low|medium|high|critical> [data|concept|performance|business] <description>',
        'feedback <model>[@<n>] <meets|partial|misses> [comment]',
        'follow <model | goal ID>',
        'unfollow <model | goal ID>',
      ]) {
        expect(text).toContain(`\`/mlops ${usage}\``);
      }
      expect(blocks).toBeUndefined();
    });

    it('answers an empty command and an unknown subcommand with the help text, changing nothing', async () => {
      const help = (await slash('scientist', 'help')).text;
      await changesNothing(async () => {
        expect((await slash('scientist', '')).text).toBe(help);
        expect((await slash('scientist', '   ')).text).toBe(help);
        const unknown = (await slash('scientist', 'deploy churn@1 everywhere')).text;
        expect(unknown).toBe(`I don't know "deploy".\n${help}`);
      });
    });

    it('whoami names the linked hub user, their email, roles and ID', async () => {
      const { text } = await slash('scientist', 'whoami');
      expect(text).toBe(`You are *Test scientist* (scientist@test.example), DATA_SCIENTIST; hub user ID \`${slack.hub.users.scientist.id}\`.`);
      const { createUser } = ok(
        await slack.hub.as('admin', CreateUserDocument, {
          input: { name: 'Rita Both', email: `rita-${dialect}@test.example`, roles: ['SME', 'RISK_MANAGER'], slackUserId: 'URITA001' },
        }),
      );
      const both = (await slash('URITA001', 'whoami')).text;
      expect(both).toContain('*Rita Both*');
      expect(both).toMatch(/SME, RISK_MANAGER|RISK_MANAGER, SME/);
      expect(both).toContain(createUser.user.id);
    });

    it('tells a Slack member who is not linked how to get linked, naming their Slack ID, and does nothing', async () => {
      const { model, name, versions } = await modelWith(1);
      await toProduction(versions[0].id);
      await changesNothing(async () => {
        for (const command of [
          'whoami',
          'pending',
          `status ${name}`,
          // Looked up alongside the member: a name that names nothing must not answer first.
          'status no-such-model',
          `promote ${name}@1 archived`,
          `drift ${name} high data shifted`,
          `feedback ${name} meets`,
          `follow ${name}`,
        ]) {
          const { text, blocks } = await slash(STRANGER, command, 'CSTRANGER');
          expect(text, command).toContain(`Your Slack account (${STRANGER}) is not linked`);
          expect(text, command).toContain('`hub user create --name');
          expect(text, command).toContain(`--slack-id ${STRANGER}\``);
          expect(text, command).toContain(`\`updateUser\` mutation with \`slackUserId: "${STRANGER}"\``);
          expect(blocks).toBeUndefined();
        }
      });
      expect((await requestsOf(model.id)).totalCount).toBe(1);
      expect((await flagsOf(model.id)).totalCount).toBe(0);
      expect((await feedbackOf(versions[0].id)).totalCount).toBe(0);
      expect(slack.fake.calls.filter((c) => c.args.channel === 'CSTRANGER')).toEqual([]);
    });
  });

  describe('status', () => {
    it('shows production, versions by stage, open drift flags, the pending promotion and the latest feedback as Block Kit', async () => {
      const {
        goal,
        model,
        name,
        versions: [v1, v2, v3, v4],
      } = await modelWith(4);
      await toProduction(v1.id);
      await approveVia('mlEngineer', (await requestVia('scientist', v2.id, 'STAGING')).id);
      expect((await requestVia('scientist', v4.id, 'ARCHIVED')).status).toBe('APPROVED');
      const pending = await requestVia('scientist', v3.id, 'PRODUCTION');
      await approveVia('sme', pending.id);
      ok(
        await slack.hub.as('sme', FlagDriftDocument, {
          input: { modelVersionId: v3.id, kind: 'PERFORMANCE', severity: 'MEDIUM', description: 'latency creeping up' },
        }),
      );
      ok(
        await slack.hub.as('sme', FlagDriftDocument, {
          input: { modelVersionId: v1.id, kind: 'DATA', severity: 'HIGH', description: 'input shift in region' },
        }),
      );
      const resolved = ok(
        await slack.hub.as('risk', FlagDriftDocument, {
          input: { modelVersionId: v2.id, kind: 'CONCEPT', severity: 'CRITICAL', description: 'seasonal dip' },
        }),
      ).flagDrift.driftFlag;
      ok(await slack.hub.as('scientist', ResolveDriftDocument, { input: { driftFlagId: resolved.id, resolution: 'expected' } }));
      ok(
        await slack.hub.as('sme', SubmitFeedbackDocument, { input: { modelVersionId: v1.id, verdict: 'PARTIALLY_MEETS', comment: 'earlier view' } }),
      );
      ok(
        await slack.hub.as('risk', SubmitFeedbackDocument, {
          input: { modelVersionId: v1.id, verdict: 'MISSES_GOAL', comment: 'too many false alarms' },
        }),
      );
      for (const [version, environment, status] of [
        [v1, 'production', 'SUCCEEDED'],
        [v2, 'staging', 'STARTED'],
        [v2, 'staging', 'FAILED'],
      ] as const) {
        ok(await slack.hub.as('mlEngineer', RecordDeploymentDocument, { input: { modelVersionId: version.id, environment, status } }));
      }
      // Feedback on the goal alone is not about this model.
      ok(await slack.hub.as('sme2', SubmitFeedbackDocument, { input: { goalId: goal.id, verdict: 'MEETS_GOAL', comment: 'goal-level view' } }));

      const api = await modelNode(model.id);
      expect(api.productionVersion?.version).toBe(1);
      expect(api.pendingPromotion?.id).toBe(pending.id);
      expect(api.openDriftFlags).toHaveLength(2);

      const reply = await changesNothing(() => slash('dataEngineer', `status ${name}`));
      expect(reply.text).toBe(`${name}: production v1, 2 open drift flag(s), pending ${prRef(pending.id)}`);
      const blocks = reply.blocks!;
      expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: name } });
      const texts = blocks.flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f) => f.text)]).filter((t): t is string => !!t);
      expect(texts).toContain('*Production*\nv1');
      expect(texts).toContain(`*Pending promotion*\n*${prRef(pending.id)}* v3 NONE → PRODUCTION, missing RISK_MANAGER`);
      expect(texts).toContain('*Versions by stage*\n*PRODUCTION*: v1\n*STAGING*: v2\n*NONE*: v3\n*ARCHIVED*: v4');
      expect(texts).toContain(
        '*Open drift flags*\n:large_orange_circle: HIGH data on v1 (OPEN): input shift in region\n' +
          ':large_yellow_circle: MEDIUM performance on v3 (OPEN): latency creeping up',
      );
      expect(texts).toContain('*Latest feedback*\nmisses goal (v1, Test risk): too many false alarms');
      expect(texts).toContain('*Where it runs*\nv2: staging FAILED\nv1: production SUCCEEDED');
      expect(JSON.stringify(blocks)).not.toContain('seasonal dip');
    });

    it('shows a model with nothing yet', async () => {
      const { name } = await modelWith(1);
      const { text, blocks } = await slash('sme', `status ${name}`);
      expect(text).toBe(`${name}: production none, 0 open drift flag(s), pending none`);
      const all = JSON.stringify(blocks);
      for (const part of [
        '*Production*\\nnone',
        '*Pending promotion*\\nnone',
        '*Versions by stage*\\n*NONE*: v1',
        '*Open drift flags*\\nnone',
        '*Latest feedback*\\nnone yet',
        '*Where it runs*\\nno deployments reported',
      ]) {
        expect(all).toContain(part);
      }
    });

    it('refuses an unknown model and answers wrong usage with the usage line', async () => {
      await changesNothing(async () => {
        const unknown = await slash('sme', 'status no-such-model');
        expect(unknown.text).toBe(':no_entry: There is no model named "no-such-model".');
        expect(unknown.blocks).toBeUndefined();
        expect((await slash('sme', 'status')).text).toBe(USAGE.status);
        expect((await slash('sme', 'status a b')).text).toBe(USAGE.status);
      });
    });
  });

  describe('pending', () => {
    it('lists only the requests awaiting a role the user holds that they did not request nor review yet', async () => {
      const a = await modelWith(1);
      const b = await modelWith(1);
      const c = await modelWith(1);
      const forStaging = await requestVia('scientist', a.versions[0].id, 'STAGING');
      const forProduction = await requestVia('mlEngineer', b.versions[0].id, 'PRODUCTION');
      const own = await requestVia('mlEngineer', c.versions[0].id, 'STAGING');
      const line = (id: string, name: string, to: string, role: string, missing: string) =>
        `• *${prRef(id)}* ${name} v1 NONE → ${to}: awaits you as ${role} (missing ${missing})`;
      const lines = async (who: Person) => (await slash(who, 'pending')).text.split('\n');

      const ml = await lines('mlEngineer');
      expect(ml[0]).toBe('Requests awaiting a role you hold:');
      expect(ml).toContain(line(forStaging.id, a.name, 'STAGING', 'ML_ENGINEER', 'ML_ENGINEER'));
      expect(ml.join('\n')).not.toContain(b.name);
      expect(ml.join('\n')).not.toContain(c.name); // their own request: four eyes
      expect(ml.join('\n')).not.toContain(`*${prRef(own.id)}*`);

      const sme = await lines('sme');
      expect(sme).toContain(line(forProduction.id, b.name, 'PRODUCTION', 'SME', 'SME, RISK_MANAGER'));
      expect(sme.join('\n')).not.toContain(a.name);
      expect(await lines('risk')).toContain(line(forProduction.id, b.name, 'PRODUCTION', 'RISK_MANAGER', 'SME, RISK_MANAGER'));

      await approveVia('sme', forProduction.id);
      expect((await lines('sme')).join('\n')).not.toContain(b.name);
      expect((await lines('sme2')).join('\n')).not.toContain(b.name); // SME no longer missing
      expect(await lines('risk')).toContain(line(forProduction.id, b.name, 'PRODUCTION', 'RISK_MANAGER', 'RISK_MANAGER'));
    });

    it('says so when nothing awaits a role the user holds', async () => {
      const { versions } = await modelWith(1);
      await requestVia('scientist', versions[0].id, 'STAGING');
      for (const who of ['scientist', 'dataEngineer', 'admin'] as const) {
        expect((await slash(who, 'pending')).text).toBe('No promotion request awaits a role you hold.');
      }
    });
  });

  describe('promote', () => {
    it('requests staging with the justification as typed, awaiting the ML engineer, with origin SLACK', async () => {
      const { model, name, versions } = await modelWith(1);
      const reply = await slash('scientist', `promote ${name}@1 staging AUC up 3 points,  see run #7`);
      const request = await requestFromReply(reply, model.id);
      expect(reply.text).toBe(`*${prRef(request.id)}*: ${name} v1 NONE → STAGING, awaiting ML_ENGINEER.`);
      expect(request).toMatchObject({
        status: 'PENDING',
        fromStage: 'NONE',
        toStage: 'STAGING',
        requiredRoles: ['ML_ENGINEER'],
        missingRoles: ['ML_ENGINEER'],
        justification: 'AUC up 3 points,  see run #7',
        requestedBy: { id: slack.hub.users.scientist.id },
        modelVersion: { id: versions[0].id, stage: 'NONE' },
        reviews: [],
      });
      const events = await eventsOf({ subjectId: request.id });
      expect(events.map((e) => [e.type, e.origin, e.actor?.id])).toEqual([['PROMOTION_REQUESTED', 'SLACK', slack.hub.users.scientist.id]]);
    });

    it('requests production without a justification, awaiting the SME and the risk manager', async () => {
      const { model, name } = await modelWith(2);
      const reply = await slash('mlEngineer', `promote ${name}@2 PRODUCTION`);
      const request = await requestFromReply(reply, model.id);
      expect(reply.text).toBe(`*${prRef(request.id)}*: ${name} v2 NONE → PRODUCTION, awaiting SME, RISK_MANAGER.`);
      expect(request).toMatchObject({
        status: 'PENDING',
        toStage: 'PRODUCTION',
        requiredRoles: ['SME', 'RISK_MANAGER'],
        justification: null,
        modelVersion: { version: 2 },
        requestedBy: { id: slack.hub.users.mlEngineer.id },
      });
      expect((await eventsOf({ subjectId: request.id })).map((e) => e.origin)).toEqual(['SLACK']);
    });

    it('archives at once, since archiving needs no approval', async () => {
      const { model, name, versions } = await modelWith(3);
      const reply = await slash('scientist', `promote ${name}@3 archived superseded by v2`);
      const request = await requestFromReply(reply, model.id);
      expect(reply.text).toBe(`*${prRef(request.id)}*: ${name} v3 NONE → ARCHIVED, applied at once (no approval needed).`);
      expect(request).toMatchObject({
        status: 'APPROVED',
        requiredRoles: [],
        justification: 'superseded by v2',
        modelVersion: { id: versions[2].id, stage: 'ARCHIVED' },
      });
      const requestEvents = await eventsOf({ subjectId: request.id });
      expect(requestEvents.map((e) => e.type).sort()).toEqual(['PROMOTION_APPROVED', 'PROMOTION_REQUESTED']);
      const stageEvents = await eventsOf({ subjectId: versions[2].id, types: ['STAGE_CHANGED'] });
      expect(stageEvents).toHaveLength(1);
      expect([...requestEvents, ...stageEvents].every((e) => e.origin === 'SLACK')).toBe(true);
    });

    it.each([
      ['a version without @n', (m: string) => `promote ${m} staging`],
      ['an unknown stage', (m: string) => `promote ${m}@1 prod`],
      ['no stage', (m: string) => `promote ${m}@1`],
      ['the arguments swapped', (m: string) => `promote staging ${m}@1`],
      ['no arguments', () => 'promote'],
    ])('answers %s with the usage line and changes nothing', async (_what, command) => {
      const { model, name } = await modelWith(1);
      expect((await changesNothing(() => slash('scientist', command(name)))).text).toBe(USAGE.promote);
      expect((await requestsOf(model.id)).totalCount).toBe(0);
    });

    it('refuses an unknown model or version and a second pending request, changing nothing', async () => {
      const { model, name, versions } = await modelWith(1);
      const first = await requestVia('scientist', versions[0].id, 'STAGING');
      await changesNothing(async () => {
        expect((await slash('scientist', 'promote no-such-model@1 staging')).text).toBe(':no_entry: There is no model named "no-such-model".');
        expect((await slash('scientist', `promote ${name}@9 staging`)).text).toBe(`:no_entry: ${name} has no version 9.`);
        expect((await slash('mlEngineer', `promote ${name}@1 production`)).text).toBe(
          `:no_entry: ${name} v1 already has a pending request (NONE → STAGING); review or cancel it first.`,
        );
      });
      expect((await requestsOf(model.id)).nodes.map((r) => r.id)).toEqual([first.id]);
    });

    it('four eyes: the requester cannot approve their own request from Slack, and nothing changes', async () => {
      const { model, name, versions } = await modelWith(1);
      const request = await requestFromReply(await slash('mlEngineer', `promote ${name}@1 staging`), model.id);
      const reply = await changesNothing(() => slash('mlEngineer', `approve ${prRef(request.id)} trust me`));
      expect(reply.text).toBe(':no_entry: Four eyes: you cannot review your own promotion request.');
      expect(await requestNode(request.id)).toMatchObject({
        status: 'PENDING',
        reviews: [],
        missingRoles: ['ML_ENGINEER'],
        modelVersion: { id: versions[0].id, stage: 'NONE' },
      });
    });
  });

  describe('approve and reject', () => {
    it('approves by PR-n with a comment: the review carries origin SLACK and the comment, and the stage changes', async () => {
      const { versions } = await modelWith(1);
      const request = await requestVia('scientist', versions[0].id, 'STAGING');
      const reply = await slash('mlEngineer', `approve ${prRef(request.id)} ship it, metrics look fine`);
      expect(reply.text).toBe(`You approved *${prRef(request.id)}*; it is now APPROVED.`);
      expect(await requestNode(request.id)).toMatchObject({
        status: 'APPROVED',
        missingRoles: [],
        modelVersion: { stage: 'STAGING' },
        reviews: [
          {
            role: 'ML_ENGINEER',
            decision: 'APPROVE',
            comment: 'ship it, metrics look fine',
            origin: 'SLACK',
            reviewer: { id: slack.hub.users.mlEngineer.id },
          },
        ],
      });
      const reviewed = await eventsOf({ subjectId: request.id, types: ['PROMOTION_REVIEWED'] });
      expect(reviewed).toHaveLength(1);
      expect(reviewed[0]).toMatchObject({
        origin: 'SLACK',
        actor: { id: slack.hub.users.mlEngineer.id },
        data: { decision: 'APPROVE', comment: 'ship it, metrics look fine' },
      });
    });

    it("approves by the API's global ID (without a comment), then by a lower-case short ref", async () => {
      const { versions } = await modelWith(1);
      const request = await requestVia('scientist', versions[0].id, 'PRODUCTION');
      expect((await slash('sme', `approve ${request.id}`)).text).toBe(`You approved *${prRef(request.id)}*; it is now PENDING.`);
      expect(await requestNode(request.id)).toMatchObject({
        status: 'PENDING',
        missingRoles: ['RISK_MANAGER'],
        reviews: [{ role: 'SME', decision: 'APPROVE', comment: null, origin: 'SLACK', reviewer: { id: slack.hub.users.sme.id } }],
      });
      const short = prRef(request.id).toLowerCase().replace('-', '');
      expect((await slash('risk', `approve ${short} calibrated`)).text).toBe(`You approved *${prRef(request.id)}*; it is now APPROVED.`);
      const done = await requestNode(request.id);
      expect(done).toMatchObject({ status: 'APPROVED', modelVersion: { stage: 'PRODUCTION' } });
      expect(done.reviews.map((r) => [r.role, r.comment, r.origin])).toEqual([
        ['SME', null, 'SLACK'],
        ['RISK_MANAGER', 'calibrated', 'SLACK'],
      ]);
    });

    it('rejects with the comment as the reason; the stage stays', async () => {
      const { versions } = await modelWith(1);
      const request = await requestVia('scientist', versions[0].id, 'PRODUCTION');
      const reply = await slash('risk', `reject ${prRef(request.id)} not calibrated on Q3 data`);
      expect(reply.text).toBe(`You rejected *${prRef(request.id)}*; it is now REJECTED.`);
      expect(await requestNode(request.id)).toMatchObject({
        status: 'REJECTED',
        modelVersion: { stage: 'NONE' },
        reviews: [
          {
            role: 'RISK_MANAGER',
            decision: 'REJECT',
            comment: 'not calibrated on Q3 data',
            origin: 'SLACK',
            reviewer: { id: slack.hub.users.risk.id },
          },
        ],
      });
      const rejected = await eventsOf({ subjectId: request.id, types: ['PROMOTION_REVIEWED', 'PROMOTION_REJECTED'] });
      expect(rejected.map((e) => e.type).sort()).toEqual(['PROMOTION_REJECTED', 'PROMOTION_REVIEWED']);
      expect(rejected.every((e) => e.origin === 'SLACK' && e.data.comment === 'not calibrated on Q3 data')).toBe(true);
    });

    it('answers a reject without a comment, or an approve without a request, with the usage line; nothing changes', async () => {
      const { versions } = await modelWith(1);
      const request = await requestVia('scientist', versions[0].id, 'PRODUCTION');
      await changesNothing(async () => {
        expect((await slash('risk', `reject ${prRef(request.id)}`)).text).toBe(USAGE.reject);
        expect((await slash('risk', `reject ${prRef(request.id)}   `)).text).toBe(USAGE.reject);
        expect((await slash('risk', 'reject')).text).toBe(USAGE.reject);
        expect((await slash('risk', 'approve')).text).toBe(USAGE.approve);
      });
      expect(await requestNode(request.id)).toMatchObject({ status: 'PENDING', reviews: [] });
    });

    it('refuses what is not a request, an unknown request and a request already decided; nothing changes', async () => {
      const { goal, versions } = await modelWith(1);
      const request = await requestVia('scientist', versions[0].id, 'STAGING');
      await approveVia('mlEngineer', request.id);
      await changesNothing(async () => {
        expect((await slash('sme', 'approve churn')).text).toBe(
          ':no_entry: "churn" is not a promotion request; use the PR-number the bot shows or the request\'s ID.',
        );
        expect((await slash('sme', `approve ${goal.id}`)).text).toContain(':no_entry:');
        expect((await slash('sme', 'approve PR-999999')).text).toMatch(/^:no_entry: Promotion request .* does not exist\.$/);
        expect((await slash('mlEngineer', `reject ${prRef(request.id)} too late`)).text).toBe(':no_entry: You have already reviewed this request.');
      });
      expect((await requestNode(request.id)).reviews).toHaveLength(1);
    });
  });

  describe('drift', () => {
    it('flags the production version by default, kind PERFORMANCE, with origin SLACK', async () => {
      const { model, name, versions } = await modelWith(2);
      await toProduction(versions[0].id);
      const reply = await slash('sme', `drift ${name} high input distribution shifted`);
      expect(reply.text).toBe(`Flagged HIGH performance drift on ${name} v1.`);
      const flags = (await flagsOf(model.id)).nodes;
      expect(flags).toHaveLength(1);
      expect(flags[0]).toMatchObject({
        kind: 'PERFORMANCE',
        severity: 'HIGH',
        description: 'input distribution shifted',
        status: 'OPEN',
        origin: 'SLACK',
        raisedBy: { id: slack.hub.users.sme.id },
        modelVersion: { id: versions[0].id, version: 1 },
      });
      expect((await eventsOf({ subjectId: flags[0].id })).map((e) => [e.type, e.origin])).toEqual([['DRIFT_FLAGGED', 'SLACK']]);
    });

    it.each([
      ['data', 'DATA'],
      ['Concept', 'CONCEPT'],
      ['performance', 'PERFORMANCE'],
      ['BUSINESS', 'BUSINESS'],
    ] as const)('takes an explicit kind %s and version', async (word, kind) => {
      const { model, name, versions } = await modelWith(2);
      const reply = await slash('risk', `drift ${name}@2 critical ${word} null rate jumped to 40%`);
      expect(reply.text).toBe(`Flagged CRITICAL ${kind.toLowerCase()} drift on ${name} v2.`);
      expect((await flagsOf(model.id)).nodes).toEqual([
        expect.objectContaining({
          kind,
          severity: 'CRITICAL',
          description: 'null rate jumped to 40%',
          origin: 'SLACK',
          raisedBy: { id: slack.hub.users.risk.id },
          modelVersion: { id: versions[1].id, version: 2 },
        }),
      ]);
    });

    it('flags several models at once, all or none', async () => {
      const first = await modelWith(2);
      const second = await modelWith(1);
      const reply = await slash('risk', `drift ${first.name}@2,${second.name}@1 medium data late feed`);
      expect(reply.text).toBe(`Flagged MEDIUM data drift on ${first.name} v2, ${second.name} v1.`);
      expect((await flagsOf(first.model.id)).nodes.map((f) => f.modelVersion.id)).toEqual([first.versions[1].id]);
      expect((await flagsOf(second.model.id)).nodes.map((f) => f.modelVersion.id)).toEqual([second.versions[0].id]);
      const third = await modelWith(1);
      const refused = await changesNothing(() => slash('risk', `drift ${third.name}@1,${second.name}@9 low data late feed`));
      expect(refused.text).toBe(`:no_entry: ${second.name} has no version 9.`);
      expect((await flagsOf(third.model.id)).totalCount).toBe(0);
    });

    it('refuses a model without a production version when no version is named, clearly; nothing changes', async () => {
      const { model, name } = await modelWith(1);
      const reply = await changesNothing(() => slash('sme', `drift ${name} low data nulls in age`));
      expect(reply.text).toBe(`:no_entry: ${name} has no production version; name one with @<n>.`);
      expect((await changesNothing(() => slash('sme', `drift ${name}@4 low data nulls in age`))).text).toBe(`:no_entry: ${name} has no version 4.`);
      expect((await flagsOf(model.id)).totalCount).toBe(0);
    });

    it.each([
      ['no description', (m: string) => `drift ${m} high`],
      ['a kind but no description', (m: string) => `drift ${m} high data`],
      ['an unknown severity', (m: string) => `drift ${m} extreme data it broke`],
      ['only a model', (m: string) => `drift ${m}`],
    ])('answers %s with the usage line and changes nothing', async (_what, command) => {
      const { model, name, versions } = await modelWith(1);
      await toProduction(versions[0].id);
      expect((await changesNothing(() => slash('sme', command(name)))).text).toBe(USAGE.drift);
      expect((await flagsOf(model.id)).totalCount).toBe(0);
    });
  });

  describe('feedback', () => {
    it.each([
      ['meets', 'MEETS_GOAL', 'great lift this quarter', 'meets goal'],
      ['partial', 'PARTIALLY_MEETS', 'good on recall,  weak on precision', 'partially meets'],
      ['MISSES', 'MISSES_GOAL', '', 'misses goal'],
    ] as const)('records %s on the production version by default, with origin SLACK', async (word, verdict, comment, said) => {
      const { goal, name, versions } = await modelWith(2);
      await toProduction(versions[0].id);
      const reply = await slash('sme', `feedback ${name} ${word} ${comment}`);
      expect(reply.text).toBe(`Thanks: recorded that ${name} v1 ${said}.`);
      const feedback = await feedbackOf(versions[0].id);
      expect(feedback.nodes).toEqual([
        {
          id: expect.any(String),
          verdict,
          comment: comment || null,
          origin: 'SLACK',
          author: { id: slack.hub.users.sme.id },
          goal: { id: goal.id },
          modelVersion: { id: versions[0].id, version: 1 },
        },
      ]);
      expect((await feedbackOf(versions[1].id)).totalCount).toBe(0);
      expect((await eventsOf({ subjectId: feedback.nodes[0].id })).map((e) => [e.type, e.origin])).toEqual([['FEEDBACK_SUBMITTED', 'SLACK']]);
    });

    it('records feedback on a named version', async () => {
      const { name, versions } = await modelWith(2);
      await toProduction(versions[0].id);
      expect((await slash('risk', `feedback ${name}@2 partial`)).text).toBe(`Thanks: recorded that ${name} v2 partially meets.`);
      expect((await feedbackOf(versions[1].id)).nodes).toEqual([
        expect.objectContaining({ verdict: 'PARTIALLY_MEETS', comment: null, origin: 'SLACK', author: { id: slack.hub.users.risk.id } }),
      ]);
      expect((await feedbackOf(versions[0].id)).totalCount).toBe(0);
    });

    it('answers wrong usage with the usage line and refuses a model without production; nothing changes', async () => {
      const withProduction = await modelWith(1);
      await toProduction(withProduction.versions[0].id);
      const without = await modelWith(1);
      await changesNothing(async () => {
        for (const command of [`feedback ${withProduction.name} great`, `feedback ${withProduction.name}`, 'feedback']) {
          expect((await slash('sme', command)).text, command).toBe(USAGE.feedback);
        }
        expect((await slash('sme', `feedback ${without.name} meets`)).text).toBe(
          `:no_entry: ${without.name} has no production version; name one with @<n>.`,
        );
      });
      expect((await feedbackOf(withProduction.versions[0].id)).totalCount).toBe(0);
      expect((await feedbackOf(without.versions[0].id)).totalCount).toBe(0);
    });
  });

  describe('follow and unfollow', () => {
    it("after follow, the model's later events are posted to the channel; following twice is refused", async () => {
      const { name, versions } = await modelWith(1);
      const channel = newChannel();
      expect((await slash('sme', `follow ${name}`, channel)).text).toBe(`This channel now gets the lifecycle events of model ${name}.`);
      expect((await slash('scientist', `follow ${name}`, channel)).text).toBe(`:no_entry: This channel already follows model ${name}.`);
      const marker = unique('after-follow');
      ok(await slack.hub.as('risk', SubmitFeedbackDocument, { input: { modelVersionId: versions[0].id, verdict: 'MEETS_GOAL', comment: marker } }));
      const posted = await slack.fake.waitFor(postIn(channel, marker));
      expect(posted.args.text).toContain(name);
      // Followed once, posted once: a second event arrives after the first one's only copy.
      const second = unique('second');
      ok(await slack.hub.as('risk', SubmitFeedbackDocument, { input: { modelVersionId: versions[0].id, verdict: 'MEETS_GOAL', comment: second } }));
      await slack.fake.waitFor(postIn(channel, second));
      expect(slack.fake.of('chat.postMessage').filter(postIn(channel, marker))).toHaveLength(1);
      // A command's own event reaches the followed channel too.
      await slash('sme', `drift ${name}@1 low data nulls in age`, 'CELSEWHERE');
      await slack.fake.waitFor(postIn(channel, `flagged LOW data drift on ${name} v1`));
    });

    it('after unfollow, no more events of that model are posted there', async () => {
      const stopped = await modelWith(1);
      const kept = await modelWith(1);
      const channel = newChannel();
      await slash('sme', `follow ${stopped.name}`, channel);
      await slash('sme', `follow ${kept.name}`, channel);
      const before = unique('before-unfollow');
      ok(
        await slack.hub.as('risk', SubmitFeedbackDocument, {
          input: { modelVersionId: stopped.versions[0].id, verdict: 'MEETS_GOAL', comment: before },
        }),
      );
      await slack.fake.waitFor(postIn(channel, before));

      expect((await slash('scientist', `unfollow ${stopped.name}`, channel)).text).toBe(
        `This channel no longer gets the events of model ${stopped.name}.`,
      );
      const gone = unique('after-unfollow');
      ok(
        await slack.hub.as('risk', SubmitFeedbackDocument, {
          input: { modelVersionId: stopped.versions[0].id, verdict: 'MISSES_GOAL', comment: gone },
        }),
      );
      const marker = unique('marker');
      ok(
        await slack.hub.as('risk', SubmitFeedbackDocument, {
          input: { modelVersionId: kept.versions[0].id, verdict: 'MEETS_GOAL', comment: marker },
        }),
      );
      await slack.fake.waitFor(postIn(channel, marker));
      expect(slack.fake.calls.filter((c) => c.args.channel === channel && JSON.stringify(c.args).includes(gone))).toEqual([]);
      expect(
        slack.fake.calls.filter((c) => c.args.channel === channel && JSON.stringify(c.args).includes(stopped.name)).map((c) => c.args.text),
      ).toEqual([expect.stringContaining(before)]);

      expect((await slash('scientist', `unfollow ${stopped.name}`, channel)).text).toMatch(
        /^:no_entry: .*model .* in this channel does not exist\.$/,
      );
    });

    it('follows a goal by its ID: goal events and the events of its models are posted', async () => {
      const { goal, versions } = await modelWith(1);
      const channel = newChannel();
      expect((await slash('risk', `follow ${goal.id}`, channel)).text).toBe(`This channel now gets the lifecycle events of goal "${goal.title}".`);
      const renamed = unique('Renamed goal');
      ok(await slack.hub.as('sme', UpdateGoalDocument, { input: { goalId: goal.id, title: renamed } }));
      const onGoal = unique('goal-feedback');
      ok(await slack.hub.as('sme2', SubmitFeedbackDocument, { input: { goalId: goal.id, verdict: 'PARTIALLY_MEETS', comment: onGoal } }));
      await slack.fake.waitFor(postIn(channel, onGoal));
      const onModel = unique('model-feedback');
      ok(await slack.hub.as('sme2', SubmitFeedbackDocument, { input: { modelVersionId: versions[0].id, verdict: 'MEETS_GOAL', comment: onModel } }));
      await slack.fake.waitFor(postIn(channel, onModel));
      expect(slack.fake.of('chat.postMessage').some((c) => c.args.channel === channel && String(c.args.text).includes(renamed))).toBe(true);

      expect((await slash('risk', `unfollow ${goal.id}`, channel)).text).toBe(`This channel no longer gets the events of goal "${renamed}".`);
    });

    it('answers wrong usage with the usage line and refuses an unknown model or goal', async () => {
      const channel = newChannel();
      expect((await slash('sme', 'follow', channel)).text).toBe(USAGE.follow);
      expect((await slash('sme', 'follow a b', channel)).text).toBe(USAGE.follow);
      expect((await slash('sme', 'unfollow', channel)).text).toBe(USAGE.unfollow);
      expect((await slash('sme', 'follow no-such-model', channel)).text).toBe(':no_entry: Model "no-such-model" does not exist.');
      const missingGoal = unknownId('Goal');
      expect((await slash('sme', `follow ${missingGoal}`, channel)).text).toBe(`:no_entry: Goal "${missingGoal}" does not exist.`);
    });
  });

  describe('refusals by the service', () => {
    it("answers a role the service refuses with ':no_entry:' and the service's own reason; nothing changes", async () => {
      const { model, name, versions } = await modelWith(1);
      const api = await slack.hub.as('sme', RequestPromotionDocument, { input: { modelVersionId: versions[0].id, toStage: 'STAGING' } });
      expect(api.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const reason = api.errors![0].message;
      const reply = await changesNothing(() => slash('sme', `promote ${name}@1 staging please`));
      expect(reply.text).toBe(`:no_entry: ${reason}`);
      expect(reason).toBe('requestPromotion needs one of the roles DATA_SCIENTIST, ML_ENGINEER, ADMIN.');
      expect((await requestsOf(model.id)).totalCount).toBe(0);

      const request = await requestVia('scientist', versions[0].id, 'STAGING');
      for (const who of ['dataEngineer', 'risk'] as const) {
        const refused = await changesNothing(() => slash(who, `approve ${prRef(request.id)}`));
        expect(refused.text).toBe(`:no_entry: This request awaits ML_ENGINEER; you hold ${PEOPLE[who].join(', ')}.`);
      }
      expect((await changesNothing(() => slash('sme', `reject ${prRef(request.id)} no`))).text).toBe(
        ':no_entry: This request awaits ML_ENGINEER; you hold SME.',
      );
      expect(await requestNode(request.id)).toMatchObject({ status: 'PENDING', reviews: [] });
    });
  });

  describe('request signing', () => {
    it.each([
      ['a signature made with the wrong secret', (body: string, now: number) => sign(body, now, 'wrong-secret')],
      ['a stale timestamp (over 5 minutes old)', (body: string, now: number) => sign(body, now - 6 * 60)],
      ['a signature of another body', (body: string, now: number) => sign(body.replace('staging', 'archived'), now)],
      [
        'a tampered signature',
        (body: string, now: number) => ({
          ...sign(body, now),
          'x-slack-signature': sign(body, now)['x-slack-signature'].replace(/.$/, (c) => (c === '0' ? '1' : '0')),
        }),
      ],
      ['no signature headers', () => ({})],
      ['no signature', (_body: string, now: number) => ({ 'x-slack-request-timestamp': String(now) })],
      ['no timestamp', (body: string, now: number) => ({ 'x-slack-signature': sign(body, now)['x-slack-signature'] })],
    ])('answers %s with 401 and changes nothing', async (_what, headers) => {
      const { model, name } = await modelWith(1);
      const body = slashCommandForm(SLACK.scientist, `promote ${name}@1 staging`, 'CSIGNED', 'http://127.0.0.1:9/response/x');
      const now = Math.floor(Date.now() / 1000);
      const res = await changesNothing(() => postToSlackEndpoint(slack.events, body, 'application/x-www-form-urlencoded', headers(body, now)));
      expect(res.status).toBe(401);
      expect((await requestsOf(model.id)).totalCount).toBe(0);
      // The same body, correctly signed, would have acted.
      const signed = await postToSlackEndpoint(slack.events, body, 'application/x-www-form-urlencoded', sign(body, now));
      expect(signed.status).toBe(200);
      expect((await requestsOf(model.id)).totalCount).toBe(1);
    });
  });

  describe('acknowledgement', () => {
    it("answers the slash command while every Web API call fails: the reply does not wait on Slack's API", async () => {
      const { model, name } = await modelWith(1);
      const channel = newChannel();
      await slash('sme', `follow ${name}`, channel);
      slack.fake.fail('*', { status: 500 }, 100);
      try {
        const who = await slash('scientist', 'whoami', channel);
        expect(who.text).toContain('Test scientist');
        const promote = await slash('scientist', `promote ${name}@1 staging`, channel);
        const request = await requestFromReply(promote, model.id);
        expect(request.status).toBe('PENDING');
        expect((await slash('sme', `status ${name}`, channel)).blocks).toBeDefined();
      } finally {
        // Use up the faults left, so that Slack is "back" for the notifier and the later tests.
        for (let i = 0; i < 100; i++) {
          const res = await fetch(`${slack.fake.url}api.test`, { method: 'POST' });
          if (res.ok) break;
        }
      }
      // The outbox only delays the message about the request; it arrives once the API answers again.
      await slack.fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.args.channel === channel && JSON.stringify(c.args.blocks ?? '').includes('promotion_approve'),
      );
    });

    describe('on a hub started while the Web API fails', () => {
      // Slash commands need no Web API call, so a hub (re)started during a Slack API outage must
      // answer them, during the outage and after it, and must not fail on its own.
      const down = useSlackHub(dialect, { scientist: SLACK.scientist }, { prepare: (fake) => fake.fail('*', { status: 500 }, 20) });

      const whoami = async () => {
        const res = await slashCommand(down.events, down.fake, SLACK.scientist, 'whoami');
        return { status: res.status, json: res.json };
      };

      it('answers a slash command while the Web API still fails', async () => {
        expect(await whoami()).toMatchObject({ status: 200, json: { response_type: 'ephemeral', text: expect.stringContaining('Test scientist') } });
      });

      it('answers a slash command once the Web API is back', async () => {
        for (let i = 0; i < 20; i++) {
          if ((await fetch(`${down.fake.url}api.test`, { method: 'POST' })).ok) break;
        }
        expect(await whoami()).toMatchObject({ status: 200, json: { response_type: 'ephemeral', text: expect.stringContaining('Test scientist') } });
      });
    });
  });
});
