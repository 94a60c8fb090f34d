import { Field, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { Feedback } from '../../domain/feedback/feedback.entity';
import { ConnectionType } from '../common/connection';
import { Origin } from '../common/enums';
import { FeedbackVerdict } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';
import { DiscussableBase } from '../comment/discussable';

export interface FeedbackType extends Pick<RowOf<Feedback>, 'goalId' | 'modelVersionId' | 'authorId' | 'kind' | 'explanationId'> {}

@ObjectType('Feedback', {
  implements: [NodeBase, DiscussableBase],
  simpleResolvers: true,
  description: "A business user's judgement: does the model answer the business question?",
})
export class FeedbackType extends DiscussableBase implements Partial<RowOf<Feedback>> {
  get typeName() {
    return 'Feedback';
  }

  @Field(() => FeedbackVerdict, { description: 'Whether the model meets the goal.' })
  verdict!: FeedbackVerdict;

  @Field(() => String, { nullable: true, description: 'Why; null when not given.' })
  comment!: string | null;

  @Field(() => Origin, { description: 'Where the feedback was given.' })
  origin!: Origin;

  @Field(() => Date, { description: 'When the feedback was given.' })
  createdAt!: Date;
}

export const FeedbackConnection = ConnectionType(FeedbackType, 'Feedback');
