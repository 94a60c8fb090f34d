import type { EntityManager } from '@mikro-orm/knex';
import type { NodeType } from '../aggregate';
import { requireViewer, type ServiceContext } from '../context';
import { notFound } from '../errors';
import { fromGlobalId, toGlobalId } from '../ids';
import { nodeTypeNamed } from '../node-registry';
import { write } from '../unit-of-work';
import { LIMITS, requiredText } from '../validate';
import { Comment } from './comment.entity';

export interface AddCommentInput {
  subjectId: string;
  body: string;
}

/** The discussable object behind a global ID, or NOT_FOUND. */
async function resolveSubject(em: EntityManager, subjectId: string): Promise<{ type: NodeType; id: number }> {
  const parsed = fromGlobalId(subjectId);
  const type = parsed ? nodeTypeNamed(parsed.type) : undefined;
  if (!parsed || !type?.discussable || !(await em.count(type.entity, { id: parsed.id }))) {
    throw notFound('Discussable object', JSON.stringify(subjectId));
  }
  return { type, id: parsed.id };
}

export const commentService = {
  /** Any authenticated user, on any discussable object. */
  async add(ctx: ServiceContext, input: AddCommentInput): Promise<Comment> {
    const viewer = requireViewer(ctx);
    const body = requiredText('body', input.body, LIMITS.body);
    return write(ctx, async (uow) => {
      const subject = await resolveSubject(uow.em, input.subjectId);
      const { name } = subject.type;
      const comment = uow.em.create(Comment, { subjectType: name, subjectId: subject.id, author: viewer.id, body, origin: ctx.origin });
      uow.record({
        type: 'COMMENT_ADDED',
        subject: comment,
        scope: await subject.type.scope(uow.em, subject.id),
        summary: `${uow.actor} commented: ${body.length > 120 ? `${body.slice(0, 119)}…` : body}`,
        data: { on: { type: name, id: toGlobalId(name, subject.id) }, body },
      });
      return comment;
    });
  },
};
