import { Arg, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { explanationRepository } from '../../domain/explanation/explanation.repository';
import { explanationService, MAX_ATTRIBUTIONS, MAX_EXPLANATIONS } from '../../domain/explanation/explanation.service';
import { FeedbackKind } from '../common/lifecycle-enums';
import type { GraphQLContext } from '../context';
import { FeedbackType } from '../feedback/feedback.type';
import { ModelVersionType } from '../model/model.type';
import { loadNode, loadWritten } from '../nodes';
import { PredictionExplanationType } from './explanation.type';
import type * as commands from '../../domain/explanation/explanation.service';

@InputType('FeatureContributionInput', { description: "One feature's part in an outcome." })
class FeatureContributionInput implements commands.FeatureContributionInput {
  @Field(() => String, { description: "The feature's name, up to 200 characters; once per explanation." })
  feature!: string;

  @Field(() => String, { nullable: true, description: "The subject's value of the feature as text, up to 200 characters." })
  value?: string | null;

  @Field(() => Float, { description: 'How far the feature moved the score; a finite number.' })
  contribution!: number;
}

@InputType('PredictionExplanationInput', { description: "One subject's outcome and why." })
class PredictionExplanationInput implements commands.PredictionExplanationInput {
  @Field(() => String, { description: 'Whom the outcome is about, up to 200 characters; once per call.' })
  subjectKey!: string;

  @Field(() => String, { description: 'The outcome, up to 200 characters.' })
  prediction!: string;

  @Field(() => Float, { nullable: true, description: 'The score behind the outcome; a finite number.' })
  score?: number | null;

  @Field(() => [FeatureContributionInput], { description: `At most ${MAX_ATTRIBUTIONS} features, each named once.` })
  attributions!: FeatureContributionInput[];
}

@InputType('RecordPredictionExplanationsInput', { description: 'Explained outcomes of one model version.' })
class RecordPredictionExplanationsInput implements commands.RecordPredictionExplanationsInput {
  @Field(() => ID, { description: 'The model version that produced the outcomes.' })
  modelVersionId!: string;

  @Field(() => [PredictionExplanationInput], {
    description: `1 to ${MAX_EXPLANATIONS} explanations; a subjectKey the version already has is replaced.`,
  })
  items!: PredictionExplanationInput[];
}

@ObjectType('RecordPredictionExplanationsPayload', { simpleResolvers: true, description: 'What the call changed.' })
class RecordPredictionExplanationsPayload {
  @Field(() => Int, { description: 'Explanations of subjects the version had none for.' })
  recorded!: number;

  @Field(() => Int, { description: 'Known subjects whose explanation changed (identical ones are left alone and not counted).' })
  updated!: number;
}

@InputType('DisputeOutcomeInput', { description: 'An outcome you believe is wrong, and why.' })
class DisputeOutcomeInput implements commands.DisputeOutcomeInput {
  @Field(() => ID, { description: 'The explained outcome disputed.' })
  explanationId!: string;

  @Field(() => String, { description: 'Why, 1 to 10,000 characters.' })
  comment!: string;
}

@ObjectType('DisputeOutcomePayload', { simpleResolvers: true, description: 'The dispute, as feedback.' })
class DisputeOutcomePayload {
  @Field(() => FeedbackType, { description: 'Feedback of kind OUTCOME on the version, linked to the explanation.' })
  feedback!: FeedbackType;
}

@Resolver(() => PredictionExplanationType)
export class ExplanationResolver {
  @FieldResolver(() => ModelVersionType, { description: 'The version that produced the outcome.' })
  modelVersion(@Root() explanation: PredictionExplanationType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'ModelVersion', explanation.modelVersionId);
  }

  @Mutation(() => RecordPredictionExplanationsPayload, {
    description: 'Bulk; idempotent by subjectKey per version. All or nothing. DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER or ADMIN (as logRun).',
  })
  recordPredictionExplanations(
    @Arg('input', () => RecordPredictionExplanationsInput, { description: "The mutation's arguments." }) input: RecordPredictionExplanationsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecordPredictionExplanationsPayload> {
    return explanationService.record(ctx.service, input);
  }

  @Mutation(() => DisputeOutcomePayload, { description: "Any authenticated user; the model's owner is notified." })
  async disputeOutcome(
    @Arg('input', () => DisputeOutcomeInput, { description: "The mutation's arguments." }) input: DisputeOutcomeInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DisputeOutcomePayload> {
    const feedback = await explanationService.dispute(ctx.service, input);
    return { feedback: await loadWritten(ctx, 'Feedback', feedback.id) };
  }
}

@Resolver(() => ModelVersionType)
export class ModelVersionExplanationResolver {
  @FieldResolver(() => PredictionExplanationType, {
    nullable: true,
    description: 'The explained outcome for one subject; null when the pipeline recorded none.',
  })
  explanation(
    @Root() version: ModelVersionType,
    @Arg('subjectKey', () => String, { description: 'Whom the outcome is about.' }) subjectKey: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    return explanationRepository.bySubject(ctx.reader, version.dbId, subjectKey);
  }
}

@Resolver(() => FeedbackType)
export class FeedbackExplanationResolver {
  @FieldResolver(() => FeedbackKind, { description: 'GENERAL, or OUTCOME for a dispute of one explained outcome.' })
  kind(@Root() feedback: FeedbackType) {
    return feedback.kind;
  }

  @FieldResolver(() => PredictionExplanationType, {
    nullable: true,
    description: 'The explained outcome disputed, for kind OUTCOME; null otherwise.',
  })
  explanation(@Root() feedback: FeedbackType, @Ctx() ctx: GraphQLContext) {
    return feedback.explanationId === null ? null : loadNode(ctx, 'PredictionExplanation', feedback.explanationId);
  }
}
