import { describe, expect, it } from 'vitest';
import { AddCommentDocument } from '../../../../src/generated/operations';
import { ok } from '../../../helpers/client';
import { forEachDialect } from '../../../helpers/db';
import { goalWithModel } from '../../../helpers/fixtures';
import { follow, useSlackHub } from '../../../helpers/slack-hub';
import { until } from '../../../helpers/wait';

const DAY_MS = 24 * 60 * 60 * 1000;

forEachDialect((dialect) => {
  describe(`Slack deliveries past their retention (${dialect})`, () => {
    const slack = useSlackHub(dialect, { scientist: 'USCI' });
    const deliveries = async () => Number((await slack.hub.db.knex('slack_deliveries').count({ n: '*' }))[0].n);

    it('are deleted once sent and older than SLACK_DELIVERY_RETENTION_DAYS (7 by default); newer ones stay', async () => {
      const { hub, fake } = slack;
      const { model } = await goalWithModel(hub, { title: 'Retained goal', businessQuestion: 'How long?', model: 'retained-model' });
      await follow(slack, 'USCI', 'CKEEP', model.name);
      ok(await hub.as('scientist', AddCommentDocument, { input: { subjectId: model.id, body: 'one message' } }));
      await until(() => fake.of('chat.postMessage').some((c) => c.args.channel === 'CKEEP'), 'the message to be sent');
      await until(async () => (await hub.db.knex('slack_deliveries').where({ status: 'PENDING' })).length === 0, 'the delivery to be settled');
      const sent = await deliveries();
      expect(sent).toBeGreaterThan(0);

      const notifier = hub.server.slack!.notifier;
      expect(await notifier.prune(Date.now() + 6 * DAY_MS)).toBe(0);
      expect(await deliveries()).toBe(sent);
      expect(await notifier.prune(Date.now() + 8 * DAY_MS)).toBe(sent);
      expect(await deliveries()).toBe(0);

      ok(await hub.as('scientist', AddCommentDocument, { input: { subjectId: model.id, body: 'still delivered after a prune' } }));
      await until(() => fake.of('chat.postMessage').filter((c) => c.args.channel === 'CKEEP').length === 2, 'the next message');
    });
  });
});
