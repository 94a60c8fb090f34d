import { NEWEST_FIRST, type ChildList } from '../../db/reader';
import { Comment } from './comment.entity';

/** Reads about comments. */
export const commentRepository = {
  /** The comments on each object of one type, newest first (one list per type keeps the parent key a plain id). */
  commentsOn(subjectType: string): ChildList<Comment> {
    return { name: `${subjectType}.comments`, entity: Comment, parentKey: 'subjectId', order: NEWEST_FIRST, filter: { subjectType } };
  },
};
