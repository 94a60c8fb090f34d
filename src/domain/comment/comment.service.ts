import type { EntityManager } from '@mikro-orm/knex';
import type { NodeType } from '../aggregate';
import { requireViewer, type ServiceContext } from '../context';
import { Role } from '../enums';
import { badInput, conflict, forbidden, notFound } from '../errors';
import { fromGlobalId, toGlobalId } from '../ids';
import { findLocked } from '../lookup';
import { nodeTypeNamed } from '../node-registry';
import { ownerOf } from '../owner';
import { write } from '../unit-of-work';
import { User } from '../user/user.entity';
import { LIMITS, MENTION, requiredText } from '../validate';
import { Comment } from './comment.entity';

export interface AddCommentInput {
  subjectId: string;
  body: string;
  isQuestion?: boolean | null;
}

export interface MarkAnsweredInput {
  commentId: string;
}

/** At most this many people are notified by the mentions of one comment; the rest are plain text. */
export const MAX_MENTIONS = 20;

/** A Slack member mention as Slack sends it in a thread reply: `<@U012AB3CD>` or `<@U012AB3CD|jane>`. */
const SLACK_MENTION = /<@([UW][A-Z0-9]{2,63})(?:\|[^>]*)?>/g;

const isAdmin = (ctx: ServiceContext) => ctx.operator === true || ctx.viewer?.roles.includes(Role.ADMIN) === true;

/** The discussable object behind a global ID, or NOT_FOUND. */
async function resolveSubject(em: EntityManager, subjectId: string): Promise<{ type: NodeType; id: number }> {
  const parsed = fromGlobalId(subjectId);
  const type = parsed ? nodeTypeNamed(parsed.type) : undefined;
  // Loaded rather than counted: the event's scope then finds the subject in the identity map.
  if (!parsed || !type?.discussable || !(await em.findOne(type.entity, parsed.id))) {
    throw notFound('Discussable object', JSON.stringify(subjectId));
  }
  return { type, id: parsed.id };
}

/** The users a body mentions (`@handle`, or a Slack member mention of a linked user), in order of first mention; unknown names are left as text. */
async function mentioned(em: EntityManager, body: string): Promise<number[]> {
  const handles = [...new Set([...body.matchAll(MENTION)].map((m) => m[1].toLowerCase()))].slice(0, MAX_MENTIONS);
  const slackIds = [...new Set([...body.matchAll(SLACK_MENTION)].map((m) => m[1]))].slice(0, MAX_MENTIONS);
  if (!handles.length && !slackIds.length) return [];
  const users = await em.find(
    User,
    { $or: [{ handle: { $in: handles } }, { slackUserId: { $in: slackIds } }] },
    { fields: ['handle', 'slackUserId'] },
  );
  const position = (u: Pick<User, 'handle' | 'slackUserId'>) =>
    Math.min(...[body.toLowerCase().indexOf(`@${u.handle}`), u.slackUserId ? body.indexOf(`<@${u.slackUserId}`) : -1].filter((i) => i >= 0));
  return users
    .sort((a, b) => position(a) - position(b))
    .slice(0, MAX_MENTIONS)
    .map((u) => u.id);
}

export const commentService = {
  /** Any authenticated user, on any discussable object. */
  async add(ctx: ServiceContext, input: AddCommentInput): Promise<Comment> {
    const viewer = requireViewer(ctx);
    const body = requiredText('body', input.body, LIMITS.body);
    const isQuestion = input.isQuestion === true;
    return write(ctx, async (uow) => {
      const subject = await resolveSubject(uow.em, input.subjectId);
      const { name } = subject.type;
      const mentions = await mentioned(uow.em, body);
      const comment = uow.em.create(Comment, {
        subjectType: name,
        subjectId: subject.id,
        author: viewer.id,
        body,
        origin: ctx.origin,
        isQuestion,
        mentions,
      });
      uow.record({
        type: 'COMMENT_ADDED',
        subject: comment,
        scope: await subject.type.scope(uow.em, subject.id),
        summary: `${uow.actor} ${isQuestion ? 'asked' : 'commented'}: ${body.length > 120 ? `${body.slice(0, 119)}…` : body}`,
        data: { on: { type: name, id: toGlobalId(name, subject.id) }, body, isQuestion, mentions: mentions.map((id) => toGlobalId('User', id)) },
      });
      return comment;
    });
  },

  /** The question's author, the owner of what it is on, or ADMIN; a comment that is no question is BAD_USER_INPUT, an answered one CONFLICT. */
  async markAnswered(ctx: ServiceContext, input: MarkAnsweredInput): Promise<Comment> {
    const viewer = requireViewer(ctx);
    return write(ctx, async (uow) => {
      const comment = await findLocked(uow.em, Comment, 'Comment', input.commentId);
      const type = nodeTypeNamed(comment.subjectType)!;
      if (comment.author.id !== viewer.id && !isAdmin(ctx) && (await ownerOf(uow.em, type, comment.subjectId)) !== viewer.id) {
        throw forbidden('Only the person who asked or the owner of what it is about can mark a question answered.');
      }
      if (!comment.isQuestion) throw badInput('That comment is not a question.', 'commentId');
      if (comment.answeredAt) throw conflict('That question is already marked answered.');
      comment.answeredAt = new Date();
      uow.record({
        type: 'QUESTION_ANSWERED',
        subject: comment,
        summary: `${uow.actor} marked a question answered`,
        data: { on: { type: type.name, id: toGlobalId(type.name, comment.subjectId) }, askedBy: toGlobalId('User', comment.author.id) },
      });
      return comment;
    });
  },
};
