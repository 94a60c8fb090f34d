/**
 * Text people typed reaches Slack's mrkdwn escaped and within Block Kit's limits: `/mlops status`
 * with a drift description that mentions @channel and runs to 5,000 characters, and feedback that
 * forges a link. On the main this started from, status put both in as typed: a mention that pinged
 * the channel, a link, and a section over Slack's 3,000 characters, so the answer was refused.
 */
import { expect, it } from 'vitest';
import { FlagDriftDocument, SubmitFeedbackDocument } from '../../src/generated/operations';
import { ok } from '../helpers/client';
import { goalWithModel } from '../helpers/fixtures';
import { slashCommand } from '../helpers/slack';
import { useSlackHub } from '../helpers/slack-hub';

const slack = useSlackHub('sqlite', { risk: 'URISK001' });

interface Reply {
  text: string;
  blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[];
}

it('escapes what people typed in /mlops status and keeps every block within its limit', async () => {
  const { hub } = slack;
  const {
    versions: [v1],
  } = await goalWithModel(hub, { title: 'Mrkdwn', businessQuestion: 'Is Slack safe?', model: 'mrkdwn-model' });
  const description = `<!channel> look ${'d'.repeat(4_980)}`;
  ok(await hub.as('scientist', FlagDriftDocument, { input: { modelVersionId: v1.id, kind: 'DATA', severity: 'HIGH', description } }));
  ok(
    await hub.as('sme', SubmitFeedbackDocument, {
      input: { modelVersionId: v1.id, verdict: 'MEETS_GOAL', comment: '<https://evil.example|click here> & more' },
    }),
  );

  const res = await slashCommand(slack.events, slack.fake, 'URISK001', 'status mrkdwn-model', 'CGENERAL');
  expect(res.status, res.text).toBe(200);
  const reply = res.json as unknown as Reply;
  const texts = reply.blocks.flatMap((b) => [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)]);
  const all = texts.join('\n');
  expect(all).not.toContain('<!channel>');
  expect(all).not.toContain('<https://evil.example');
  expect(all).toContain('&lt;!channel&gt;');
  expect(all).toContain('&lt;https://evil.example|click here&gt; &amp; more');
  for (const block of reply.blocks) {
    if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(150);
    if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
  }
});
