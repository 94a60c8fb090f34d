import type { EntityManager } from '@mikro-orm/knex';
import { requireViewer, type ServiceContext } from '../context';
import { notFound } from '../errors';
import { fromGlobalId, toGlobalId } from '../ids';
import { LIMITS, requiredText } from '../validate';
import { actorName, recordEvent } from '../event/event.recorder';
import { LifecycleEventType } from '../event/lifecycle-event.entity';
import { scopeOf } from '../event/scope';
import { Comment } from './comment.entity';
import { discussables } from './discussables';

export interface AddCommentInput {
  subjectId: string;
  body: string;
}

/** The discussable behind a global ID as `{ type, id }`, or NOT_FOUND. */
export async function resolveSubject(em: EntityManager, subjectId: string): Promise<{ type: string; id: number }> {
  const parsed = fromGlobalId(subjectId);
  const entity = parsed && discussables[parsed.type];
  if (!parsed || !entity || !(await em.count(entity, { id: parsed.id }))) {
    throw notFound('Discussable object', JSON.stringify(subjectId));
  }
  return parsed;
}

export const commentService = {
  /** Any authenticated user, on any discussable object. */
  async add(ctx: ServiceContext, input: AddCommentInput): Promise<Comment> {
    const viewer = requireViewer(ctx);
    const body = requiredText('body', input.body, LIMITS.body);
    return ctx.em.transactional(async (em) => {
      const subject = await resolveSubject(em, input.subjectId);
      const comment = em.create(Comment, { subjectType: subject.type, subjectId: subject.id, author: viewer.id, body, origin: ctx.origin });
      await em.flush();
      const scope = await scopeOf(em, subject.type, subject.id);
      await recordEvent(em, ctx, {
        type: LifecycleEventType.COMMENT_ADDED,
        subject: { type: 'Comment', id: comment.id },
        ...scope,
        summary: `${actorName(ctx)} commented: ${body.length > 120 ? `${body.slice(0, 119)}…` : body}`,
        data: { on: { type: subject.type, id: toGlobalId(subject.type, subject.id) }, body },
      });
      return comment;
    });
  },
};
