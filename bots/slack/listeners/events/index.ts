import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { commentService } from '../../../../src/domain/comment/comment.service';
import { Origin } from '../../../../src/domain/enums';
import { DomainError } from '../../../../src/domain/errors';
import { toGlobalId } from '../../../../src/domain/ids';
import { SlackInboundEvent, SlackThread } from '../../../../src/domain/notification/slack.entities';
import { log } from '../../../../src/logger';
import { notLinkedText, viewerFor, type BotDeps } from '../../context';
import { unescapeSlack } from '../../refs';

type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/**
 * A reply in the thread of a request or flag the bot posted becomes a Comment (origin SLACK) on it.
 * Slack's retries of one event id have one effect: the id is recorded in the comment's transaction.
 */
export function register(app: App, deps: BotDeps): void {
  app.event('message', async ({ event, body, client }: MessageArgs) => {
    // A reply also sent to the channel (thread_broadcast) is still a reply; other subtypes are edits, joins, bots.
    if ((event.subtype !== undefined && event.subtype !== 'thread_broadcast') || !('thread_ts' in event) || !event.thread_ts || event.thread_ts === event.ts) return;
    if ('bot_id' in event && event.bot_id) return;
    const text = unescapeSlack(event.text ?? '').trim();
    if (!text || !event.user) return;
    const thread = await deps.db.fork().findOne(SlackThread, { channelId: event.channel, ts: event.thread_ts });
    if (!thread) return;
    const viewer = await viewerFor(deps, event.user);
    if (!viewer) {
      await client.chat.postEphemeral({ channel: event.channel, user: event.user, thread_ts: event.thread_ts, text: notLinkedText(event.user) })
        .catch((err: Error) => log.warn(`slack ephemeral failed: ${err.message}`));
      return;
    }
    const [type, id] = thread.threadKey.split(':');
    try {
      await deps.db.fork().transactional(async (em) => {
        em.create(SlackInboundEvent, { eventId: body.event_id });
        await em.flush();
        await commentService.add({ em, viewer, origin: Origin.SLACK, policy: deps.policy }, { subjectId: toGlobalId(type, Number(id)), body: text });
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return;
      if (err instanceof DomainError) {
        log.info(`slack reply not kept as a comment: ${err.message}`);
        return;
      }
      throw err;
    }
  });
}
