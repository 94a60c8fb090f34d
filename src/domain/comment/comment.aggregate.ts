import { defineAggregate, payload } from '../aggregate';
import { nodeTypeNamed } from '../node-registry';
import { Comment } from './comment.entity';

export const commentAggregate = defineAggregate({
  name: 'comment',
  entities: [Comment],
  nodes: [
    {
      // A comment sits where what it is on sits.
      name: 'Comment',
      entity: Comment,
      discussable: false,
      scope: async (em, id) => {
        const comment = await em.findOneOrFail(Comment, id);
        return nodeTypeNamed(comment.subjectType)!.scope(em, comment.subjectId);
      },
    },
  ],
  events: {
    /** `on` is what the comment is on: its type and global ID. */
    COMMENT_ADDED: payload<{ on: { type: string; id: string }; body: string; isQuestion: boolean; mentions: string[] }>(),
    QUESTION_ANSWERED: payload<{ on: { type: string; id: string }; askedBy: string }>(),
  },
});
