import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { DomainError } from '../../../../src/domain/errors';
import { slackService } from '../../../../src/domain/slack/slack.service';
import { log } from '../../../../src/logger';
import { actingAs, notLinkedText, reading, viewerFor, type BotDeps } from '../../context';
import { unescapeSlack } from '../../refs';

type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/**
 * A reply in the thread of a request or flag the bot posted becomes a Comment (origin SLACK) on it.
 * Slack's retries of one event id have one effect: the id is recorded in the comment's transaction.
 */
export function register(app: App, deps: BotDeps): void {
  app.event('message', async ({ event, body, client }: MessageArgs) => {
    // A reply also sent to the channel (thread_broadcast) is still a reply; other subtypes are edits, joins, bots.
    if (
      (event.subtype !== undefined && event.subtype !== 'thread_broadcast') ||
      !('thread_ts' in event) ||
      !event.thread_ts ||
      event.thread_ts === event.ts
    )
      return;
    if ('bot_id' in event && event.bot_id) return;
    const text = unescapeSlack(event.text ?? '').trim();
    if (!text || !event.user) return;
    const subjectId = await slackService.threadSubject(reading(deps), event.channel, event.thread_ts);
    if (!subjectId) return;
    const viewer = await viewerFor(deps, event.user);
    if (!viewer) {
      await client.chat
        .postEphemeral({ channel: event.channel, user: event.user, thread_ts: event.thread_ts, text: notLinkedText(event.user) })
        .catch((err: Error) => log.warn(`slack ephemeral failed: ${err.message}`));
      return;
    }
    try {
      await slackService.commentFromThread(actingAs(deps, viewer), body.event_id, subjectId, text);
    } catch (err) {
      if (err instanceof DomainError) {
        log.info(`slack reply not kept as a comment: ${err.message}`);
        return;
      }
      throw err;
    }
  });
}
