import { Field, Float, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { PredictionExplanation } from '../../domain/explanation/explanation.entity';
import { NodeBase } from '../common/node';
import { DiscussableBase } from '../comment/discussable';

@ObjectType('FeatureContribution', { simpleResolvers: true, description: "One feature's part in an outcome, as the pipeline computed it." })
export class FeatureContributionType {
  @Field(() => String, { description: "The feature's name." })
  feature!: string;

  @Field(() => String, { nullable: true, description: "The subject's value of the feature, as text; null when not given." })
  value!: string | null;

  @Field(() => Float, { description: 'How far the feature moved the score: positive raises it, negative lowers it.' })
  contribution!: number;
}

export interface PredictionExplanationType extends Pick<RowOf<PredictionExplanation>, 'modelVersionId' | 'recordedById'> {}

@ObjectType('PredictionExplanation', {
  implements: [NodeBase, DiscussableBase],
  simpleResolvers: true,
  description: 'Why the version produced an outcome for one subject (e.g. a customer), as the pipeline explained it.',
})
export class PredictionExplanationType extends DiscussableBase implements Partial<RowOf<PredictionExplanation>> {
  get typeName() {
    return 'PredictionExplanation';
  }

  @Field(() => String, { description: "Whom the outcome is about, in the pipeline's own key (e.g. a customer number); unique per version." })
  subjectKey!: string;

  @Field(() => String, { description: 'The outcome, e.g. "flagged" or "approved".' })
  prediction!: string;

  @Field(() => Float, { nullable: true, description: 'The score behind the outcome; null when not given.' })
  score!: number | null;

  @Field(() => [FeatureContributionType], { description: 'Largest absolute contribution first.' })
  attributions!: FeatureContributionType[];

  @Field(() => Date, { description: 'When the explanation was first recorded.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'When the explanation was last replaced (createdAt when never).' })
  updatedAt!: Date;
}
