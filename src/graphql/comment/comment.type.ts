import { Field, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { Comment } from '../../domain/comment/comment.entity';
import { ConnectionType } from '../common/connection';
import { Origin } from '../common/enums';
import { NodeBase } from '../common/node';

export interface CommentType extends Pick<RowOf<Comment>, 'subjectType' | 'subjectId' | 'authorId' | 'mentions'> {}

@ObjectType('Comment', { implements: NodeBase, simpleResolvers: true })
export class CommentType extends NodeBase implements Partial<RowOf<Comment>> {
  get typeName() {
    return 'Comment';
  }

  @Field(() => String)
  body!: string;

  @Field(() => Origin)
  origin!: Origin;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Boolean)
  isQuestion!: boolean;

  @Field(() => Date, { nullable: true, description: 'When a question was marked answered.' })
  answeredAt!: Date | null;
}

export const CommentConnection = ConnectionType(CommentType, 'Comment');
