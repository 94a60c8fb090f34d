import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { requireViewer, type ServiceContext } from '../context';
import { badInput, conflict, notFound } from '../errors';
import { Goal } from '../goal/goal.entity';
import { fromGlobalId } from '../ids';
import { Model } from '../model/model.entity';
import { SlackFollow } from './slack.entities';

/** What a channel can follow: a model by name, or a goal by its ID. */
export interface FollowTarget {
  type: 'Goal' | 'Model';
  id: number;
  label: string;
}

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

export const followService = {
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
};
