import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { MetricInput, TagInput } from '../experiment/experiment.input';
import { ModelType, ModelVersionType } from './model.type';
import type * as commands from '../../domain/model/model.service';

@InputType('RegisterModelInput', { description: 'A new model under a goal.' })
export class RegisterModelInput implements commands.RegisterModelInput {
  @Field(() => ID, { description: 'The goal the model serves.' })
  goalId!: string;

  @Field(() => String, { description: 'Unique across the hub; may not contain "@".' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the model does, up to 10,000 characters.' })
  description?: string | null;
}

@ObjectType('RegisterModelPayload', { simpleResolvers: true, description: 'The model registered.' })
export class RegisterModelPayload {
  @Field(() => ModelType, { description: 'The new model; the caller owns it.' })
  model!: ModelType;
}

@InputType('EnsureModelInput', { description: 'The model to find under a goal, or to register if there is none.' })
export class EnsureModelInput implements commands.RegisterModelInput {
  @Field(() => ID, { description: 'The goal the model serves.' })
  goalId!: string;

  @Field(() => String, { description: 'Unique across the hub; may not contain "@". A model of that name under another goal is a CONFLICT.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Used only when the model is created.' })
  description?: string | null;
}

@ObjectType('EnsureModelPayload', { simpleResolvers: true, description: 'The model found or registered.' })
export class EnsureModelPayload {
  @Field(() => ModelType, { description: 'The model; when registered, the caller owns it.' })
  model!: ModelType;

  @Field(() => Boolean, { description: 'False when the model already existed.' })
  created!: boolean;
}

@InputType('FeatureImportanceInput', { description: "How much one input feature weighs in the model's predictions." })
export class FeatureImportanceInput {
  @Field(() => String, { description: "The feature's name, 1 to 200 characters." })
  feature!: string;

  @Field(() => Float, { description: 'Its importance, on the scale of the method that measured it; a finite number.' })
  importance!: number;
}

@InputType('ModelCardInput', { description: 'A model card; each text up to 10,000 characters.' })
export class ModelCardInput implements commands.ModelCardInput {
  @Field(() => String, { nullable: true, description: 'What the model is for, and what not.' })
  intendedUse?: string | null;

  @Field(() => String, { nullable: true, description: 'Where the model is known to fall short.' })
  limitations?: string | null;

  @Field(() => String, { nullable: true, description: 'The data it was trained on.' })
  trainingData?: string | null;

  @Field(() => String, { nullable: true, description: 'The data it was evaluated on.' })
  evaluationData?: string | null;

  @Field(() => String, { nullable: true, description: 'Risks to people, fairness and privacy, and how they are handled.' })
  ethicalConsiderations?: string | null;

  @Field(() => [FeatureImportanceInput], { nullable: true, description: 'The most important features, at most 1,000.' })
  featureImportance?: FeatureImportanceInput[] | null;
}

@InputType('CreateModelVersionInput', { description: 'A new version of a model.' })
export class CreateModelVersionInput implements commands.CreateModelVersionInput {
  @Field(() => ID, { description: 'The model to add a version to.' })
  modelId!: string;

  @Field(() => String, {
    nullable: true,
    description: "The pipeline's own id for the version: creating a known one again returns that version, unchanged.",
  })
  externalId?: string | null;

  @Field(() => [TagInput], { nullable: true, description: 'Tags for the version, at most 100; a key given twice keeps its last value.' })
  tags?: TagInput[] | null;

  @Field(() => ID, { nullable: true, description: 'The run that produced the version.' })
  runId?: string | null;

  @Field(() => String, { nullable: true, description: 'Where the trained artifact is, up to 2,000 characters.' })
  artifactUri?: string | null;

  @Field(() => String, { nullable: true, description: 'sha256 (hex) of the artifact at artifactUri.' })
  artifactDigest?: string | null;

  @Field(() => String, { nullable: true, description: 'What changed in this version, up to 10,000 characters.' })
  description?: string | null;

  @Field(() => [MetricInput], {
    nullable: true,
    description: 'Metric values of the version itself, at most 1,000; a key given twice keeps its last value.',
  })
  metrics?: MetricInput[] | null;

  @Field(() => ModelCardInput, { nullable: true, description: "The version's model card." })
  card?: ModelCardInput | null;
}

@ObjectType('CreateModelVersionPayload', { simpleResolvers: true, description: 'The version created.' })
export class CreateModelVersionPayload {
  @Field(() => ModelVersionType, { description: 'The new version, in stage NONE; the caller created it.' })
  modelVersion!: ModelVersionType;
}

@InputType('UpdateModelInput', { description: 'Changes to a model; fields left out stay as they are.' })
export class UpdateModelInput implements commands.UpdateModelInput {
  @Field(() => ID, { description: 'The model to change.' })
  modelId!: string;

  @Field(() => String, { nullable: true, description: 'A new description, up to 10,000 characters.' })
  description?: string | null;
}

@ObjectType('UpdateModelPayload', { simpleResolvers: true, description: 'The model after the change.' })
export class UpdateModelPayload {
  @Field(() => ModelType, { description: 'The model as changed.' })
  model!: ModelType;
}

@InputType('UpdateModelVersionInput', { description: 'Fields left out stay as they are; a given `card` replaces the whole card.' })
export class UpdateModelVersionInput implements commands.UpdateModelVersionInput {
  @Field(() => ID, { description: 'The version to change.' })
  modelVersionId!: string;

  @Field(() => String, { nullable: true, description: 'A new description, up to 10,000 characters.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'A new artifact location, up to 2,000 characters.' })
  artifactUri?: string | null;

  @Field(() => String, { nullable: true, description: 'sha256 (hex) of the artifact at artifactUri.' })
  artifactDigest?: string | null;

  @Field(() => ModelCardInput, { nullable: true, description: 'A new model card, replacing the whole card.' })
  card?: ModelCardInput | null;
}

@ObjectType('UpdateModelVersionPayload', { simpleResolvers: true, description: 'The version after the change.' })
export class UpdateModelVersionPayload {
  @Field(() => ModelVersionType, { description: 'The version as changed.' })
  modelVersion!: ModelVersionType;
}
