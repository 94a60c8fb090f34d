import { describe, expect, it } from 'vitest';
import { AddCommentDocument, CreateGoalDocument } from '../../../../src/generated/operations';
import { ok } from '../../../helpers/client';
import { forEachDialect } from '../../../helpers/db';
import { useSlackHub } from '../../../helpers/slack-hub';
import { until } from '../../../helpers/wait';

/** Direct messages: a notification of a person linked to Slack reaches them as a DM, through the durable outbox. */
forEachDialect((dialect) => {
  const slack = useSlackHub(dialect, { sme2: 'USME2DM', scientist: 'USCIDM' });
  const dmsTo = (member: string) =>
    slack.fake
      .of('chat.postMessage')
      .filter((c) => c.args.channel === member)
      .map((c) => String(c.args.text));

  describe('direct messages', () => {
    it('sends a mention to the linked person it names, and nothing to the author or to people not linked', async () => {
      const { hub } = slack;
      const goal = ok(await hub.as('sme', CreateGoalDocument, { input: { title: 'DM goal', businessQuestion: 'Who hears?' } })).createGoal.goal;
      ok(await hub.as('scientist', AddCommentDocument, { input: { subjectId: goal.id, body: '@sme2 @risk can you check the Q3 numbers?' } }));
      const [dm] = await until(() => (dmsTo('USME2DM').length ? dmsTo('USME2DM') : null), 'a direct message to sme2');
      expect(dm).toContain('can you check the Q3 numbers?');
      const rows = await hub.db.knex('slack_deliveries').where({ kind: 'DIRECT' }).select('channel_id');
      expect(rows.map((r: { channel_id: string }) => r.channel_id)).toEqual(['USME2DM']);
      expect(dmsTo('USCIDM')).toEqual([]);
    });

    it('sends a question to the linked owner of what it is on', async () => {
      const { hub } = slack;
      const goal = ok(await hub.as('sme2', CreateGoalDocument, { input: { title: 'Owned goal', businessQuestion: 'Mine?' } })).createGoal.goal;
      ok(await hub.as('risk', AddCommentDocument, { input: { subjectId: goal.id, body: 'Who signed the threshold off?', isQuestion: true } }));
      await until(() => dmsTo('USME2DM').some((t) => t.includes('Who signed the threshold off?')), 'the question as a DM to the owner');
    });
  });
});
