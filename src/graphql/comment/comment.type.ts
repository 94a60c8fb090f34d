import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../common/connection';
import { Origin } from '../common/enums';
import { NodeBase } from '../common/node';

@ObjectType('Comment', { implements: NodeBase, simpleResolvers: true })
export class CommentType extends NodeBase {
  get typeName() {
    return 'Comment';
  }

  subjectType!: string;
  subjectId!: number;
  authorId!: number;

  @Field(() => String)
  body!: string;

  @Field(() => Origin)
  origin!: Origin;

  @Field(() => Date)
  createdAt!: Date;
}

export const CommentConnection = ConnectionType(CommentType, 'Comment');
