import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { commentService } from '../comment/comment.service';
import { requireViewer, type ServiceContext } from '../context';
import { badInput, conflict, notFound } from '../errors';
import { Goal } from '../goal/goal.entity';
import { fromGlobalId, toGlobalId } from '../ids';
import { Model } from '../model/model.entity';
import { write } from '../unit-of-work';
import { SlackFollow, SlackInboundEvent, SlackThread } from './slack.entities';

/** What a channel can follow: a model by name, or a goal by its ID. */
export interface FollowTarget {
  type: 'Goal' | 'Model';
  id: number;
  label: string;
}

/** Slack channel IDs: public (C), private (G) and direct (D) conversations. */
const CHANNEL = /^[CGD][A-Z0-9]{2,}$/;

async function resolveTarget(ctx: ServiceContext, reference: string): Promise<FollowTarget> {
  const ref = reference.trim();
  const parsed = fromGlobalId(ref);
  if (parsed?.type === 'Goal') {
    const goal = await ctx.em.findOne(Goal, parsed.id);
    if (!goal) throw notFound('Goal', JSON.stringify(ref));
    return { type: 'Goal', id: goal.id, label: `goal "${goal.title}"` };
  }
  const model = await ctx.em.findOne(Model, { name: ref });
  if (!model) throw notFound('Model', JSON.stringify(ref));
  return { type: 'Model', id: model.id, label: `model ${model.name}` };
}

function channel(channelId: string): string {
  if (!CHANNEL.test(channelId)) throw badInput(`"${channelId}" is not a Slack channel ID.`, 'channelId');
  return channelId;
}

/** How a Slack event about a thread reply ended: a new comment, or a retry of one already kept. */
export type ThreadReplyOutcome = 'commented' | 'duplicate';

export const slackService = {
  /** Any authenticated user: the channel gets every lifecycle event of the goal or model. */
  async follow(ctx: ServiceContext, channelId: string, reference: string): Promise<FollowTarget> {
    const viewer = requireViewer(ctx);
    const id = channel(channelId);
    const target = await resolveTarget(ctx, reference);
    try {
      await ctx.em.transactional(async (em) => {
        if (await em.count(SlackFollow, { channelId: id, subjectType: target.type, subjectId: target.id })) {
          throw conflict(`This channel already follows ${target.label}.`);
        }
        em.create(SlackFollow, { channelId: id, subjectType: target.type, subjectId: target.id, createdBy: viewer.id });
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw conflict(`This channel already follows ${target.label}.`);
      throw err;
    }
    return target;
  },

  /** Any authenticated user. */
  async unfollow(ctx: ServiceContext, channelId: string, reference: string): Promise<FollowTarget> {
    requireViewer(ctx);
    const id = channel(channelId);
    const target = await resolveTarget(ctx, reference);
    const removed = await ctx.em.nativeDelete(SlackFollow, { channelId: id, subjectType: target.type, subjectId: target.id });
    if (!removed) throw notFound('A follow of', `${target.label} in this channel`);
    return target;
  },

  /** The global ID of the request or flag whose thread (in this channel) starts at `ts`, or null. */
  async threadSubject(ctx: ServiceContext, channelId: string, ts: string): Promise<string | null> {
    const thread = await ctx.reader.first(SlackThread, { channelId, ts }, { props: ['id'], direction: 'asc' });
    if (!thread) return null;
    const [type, id] = thread.threadKey.split(':');
    return toGlobalId(type, Number(id));
  },

  /**
   * A reply in a thread becomes a comment on its request or flag, as the viewer, from Slack. The
   * Slack event id is recorded in the comment's transaction, so Slack's retries (even concurrent
   * ones) have one effect. A comment the domain refuses changes nothing (its DomainError is thrown).
   */
  async commentFromThread(ctx: ServiceContext, slackEventId: string, subjectId: string, text: string): Promise<ThreadReplyOutcome> {
    try {
      await write(ctx, async (uow) => {
        uow.em.create(SlackInboundEvent, { eventId: slackEventId });
        await uow.em.flush();
        await commentService.add({ ...ctx, em: uow.em }, { subjectId, body: text });
      });
      return 'commented';
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return 'duplicate';
      throw err;
    }
  },
};
