import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../common/connection';
import { Origin } from '../common/enums';
import { FeedbackVerdict } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';

@ObjectType('Feedback', {
  implements: NodeBase,
  simpleResolvers: true,
  description: "A business user's judgement: does the model answer the business question?",
})
export class FeedbackType extends NodeBase {
  get typeName() {
    return 'Feedback';
  }

  goalId!: number;
  modelVersionId!: number | null;
  authorId!: number;

  @Field(() => FeedbackVerdict)
  verdict!: FeedbackVerdict;

  @Field(() => String, { nullable: true })
  comment!: string | null;

  @Field(() => Origin)
  origin!: Origin;

  @Field(() => Date)
  createdAt!: Date;
}

export const FeedbackConnection = ConnectionType(FeedbackType, 'Feedback');
