import { Field, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { Comment } from '../../domain/comment/comment.entity';
import { ConnectionType } from '../common/connection';
import { Origin } from '../common/enums';
import { NodeBase } from '../common/node';
import { heavyColumns } from '../lookahead';

export interface CommentType extends Pick<RowOf<Comment>, 'subjectType' | 'subjectId' | 'authorId' | 'mentions'> {}

@ObjectType('Comment', {
  implements: NodeBase,
  simpleResolvers: true,
  description: 'A remark on a Discussable object, written in the API or in its Slack thread.',
})
export class CommentType extends NodeBase implements Partial<RowOf<Comment>> {
  get typeName() {
    return 'Comment';
  }

  @Field(() => String, { description: 'The text.' })
  body!: string;

  @Field(() => Origin, { description: 'Where it was written.' })
  origin!: Origin;

  @Field(() => Date, { description: 'When it was written.' })
  createdAt!: Date;

  @Field(() => Boolean, { description: 'Asked as a question: open until marked answered.' })
  isQuestion!: boolean;

  @Field(() => Date, { nullable: true, description: 'When a question was marked answered.' })
  answeredAt!: Date | null;
}

/** Every column a field of the same name shows: a comment read for `author` or `id` alone reads its keys only. */
export const COMMENT_COLUMNS = heavyColumns(['body', 'origin', 'createdAt', 'isQuestion', 'answeredAt', 'mentions'], ['id', 'author', 'subject']);

export const CommentConnection = ConnectionType(CommentType, 'Comment');
