import { expect, it } from 'vitest';
import { CreateGoalDocument, CreateModelVersionDocument, RegisterModelDocument } from '../../../src/generated/operations';
import { ok } from '../../helpers/client';
import { slashCommand } from '../../helpers/slack';
import { follow, useSlackHub } from '../../helpers/slack-hub';

const slack = useSlackHub('sqlite', { scientist: 'USCI', mlEngineer: 'UMLE' });

it('requests and approves a promotion from Slack, posting the request with buttons and the review in its thread', async () => {
  const goal = ok(await slack.hub.as('sme', CreateGoalDocument, { input: { title: 'G', businessQuestion: 'Q?' } })).createGoal.goal;
  ok(await slack.hub.as('scientist', RegisterModelDocument, { input: { goalId: goal.id, name: 'churn' } }));
  const model = ok(await slack.hub.as('scientist', RegisterModelDocument, { input: { goalId: goal.id, name: 'fraud' } })).registerModel.model;
  ok(await slack.hub.as('scientist', CreateModelVersionDocument, { input: { modelId: model.id } }));
  const who = await slashCommand(slack.events, slack.fake, 'USCI', 'whoami');
  expect(who.status).toBe(200);
  expect(who.json?.text).toContain('Test scientist');
  await follow(slack, 'USCI', 'C0FOLLOW', 'fraud');
  const promote = await slashCommand(slack.events, slack.fake, 'USCI', 'promote fraud@1 staging looks good');
  expect(promote.json?.text).toContain('PR-');
  const posted = await slack.fake.waitFor(
    (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? '').includes('promotion_approve'),
  );
  expect(posted.args.channel).toBe('C0FOLLOW');
  const approve = await slashCommand(slack.events, slack.fake, 'UMLE', `approve ${String(promote.json?.text).match(/PR-\d+/)![0]} fine`);
  expect(approve.json?.text).toContain('APPROVED');
  const update = await slack.fake.waitFor((c) => c.method === 'chat.update' && String(c.args.text).includes('APPROVED'));
  const root = await slack.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.ts === undefined && String(c.args.text).includes('PR-'));
  expect(update.args.ts).toBeDefined();
  expect(JSON.stringify(update.args.blocks)).not.toContain('promotion_approve');
  const reply = await slack.fake.waitFor(
    (c) => c.method === 'chat.postMessage' && String(c.args.text).includes('approved fraud v1 → STAGING as ML_ENGINEER'),
  );
  expect(reply.args.thread_ts).toBeDefined();
  expect(root.args.channel).toBe('C0FOLLOW');
});
