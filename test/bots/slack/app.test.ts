import { afterAll, beforeAll, expect, it } from 'vitest';
import { CreateGoalDocument, CreateModelVersionDocument, RegisterModelDocument, UpdateUserDocument } from '../../../src/generated/operations';
import { ok } from '../../helpers/client';
import { startHub, type TestHub } from '../../helpers/hub';
import { BOT_TOKEN, FakeSlack, SIGNING_SECRET, slashCommand } from '../../helpers/slack';

let hub: TestHub;
let fake: FakeSlack;
let events: string;

beforeAll(async () => {
  fake = await new FakeSlack().start();
  hub = await startHub('sqlite', { slack: { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl: fake.url, notifier: { minIntervalMs: 0, pollMs: 20 } } });
  events = hub.url.replace(/graphql$/, 'slack/events');
  for (const [who, slack] of [['scientist', 'USCI'], ['mlEngineer', 'UMLE']] as const) {
    ok(await hub.as('admin', UpdateUserDocument, { input: { userId: hub.users[who].id, slackUserId: slack } }));
  }
});
afterAll(async () => {
  await hub?.close();
  await fake?.stop();
});

it('requests and approves a promotion from Slack, posting the request with buttons and the review in its thread', async () => {
  const goal = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'G', businessQuestion: 'Q?' } })).createGoal.goal;
  ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId: goal.id, name: 'churn' } }));
  const model = ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId: goal.id, name: 'fraud' } })).registerModel.model;
  ok(await hub.as('scientist', CreateModelVersionDocument, { input: { modelId: model.id } }));
  const who = await slashCommand(events, fake, 'USCI', 'whoami');
  expect(who.status).toBe(200);
  expect(who.json?.text).toContain('Test scientist');
  expect((await slashCommand(events, fake, 'USCI', 'follow fraud')).json?.text).toContain('now gets');
  const promote = await slashCommand(events, fake, 'USCI', 'promote fraud@1 staging looks good');
  expect(promote.json?.text).toContain('PR-');
  const posted = await fake.waitFor((c) => c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? '').includes('promotion_approve'));
  expect(posted.args.channel).toBe('C0FOLLOW');
  const approve = await slashCommand(events, fake, 'UMLE', `approve ${String(promote.json?.text).match(/PR-\d+/)![0]} fine`);
  expect(approve.json?.text).toContain('APPROVED');
  const update = await fake.waitFor((c) => c.method === 'chat.update' && String(c.args.text).includes('APPROVED'));
  const root = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.ts === undefined && String(c.args.text).includes('PR-'));
  expect(update.args.ts).toBeDefined();
  expect(JSON.stringify(update.args.blocks)).not.toContain('promotion_approve');
  const reply = await fake.waitFor((c) => c.method === 'chat.postMessage' && String(c.args.text).includes('approved fraud v1 → STAGING as ML_ENGINEER'));
  expect(reply.args.thread_ts).toBeDefined();
  expect(root.args.channel).toBe('C0FOLLOW');
});
