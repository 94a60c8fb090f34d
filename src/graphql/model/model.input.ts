import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { MetricInput } from '../experiment/experiment.input';
import { ModelType, ModelVersionType } from './model.type';
import type * as commands from '../../domain/model/model.service';

@InputType('RegisterModelInput')
export class RegisterModelInput implements commands.RegisterModelInput {
  @Field(() => ID)
  goalId!: string;

  @Field(() => String, { description: 'Unique across the hub; may not contain "@".' })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@ObjectType('RegisterModelPayload', { simpleResolvers: true })
export class RegisterModelPayload {
  @Field(() => ModelType)
  model!: ModelType;
}

@InputType('FeatureImportanceInput')
export class FeatureImportanceInput {
  @Field(() => String)
  feature!: string;

  @Field(() => Float)
  importance!: number;
}

@InputType('ModelCardInput')
export class ModelCardInput implements commands.ModelCardInput {
  @Field(() => String, { nullable: true })
  intendedUse?: string | null;

  @Field(() => String, { nullable: true })
  limitations?: string | null;

  @Field(() => String, { nullable: true })
  trainingData?: string | null;

  @Field(() => String, { nullable: true })
  evaluationData?: string | null;

  @Field(() => String, { nullable: true })
  ethicalConsiderations?: string | null;

  @Field(() => [FeatureImportanceInput], { nullable: true })
  featureImportance?: FeatureImportanceInput[] | null;
}

@InputType('CreateModelVersionInput')
export class CreateModelVersionInput implements commands.CreateModelVersionInput {
  @Field(() => ID)
  modelId!: string;

  @Field(() => ID, { nullable: true, description: 'The run that produced the version.' })
  runId?: string | null;

  @Field(() => String, { nullable: true })
  artifactUri?: string | null;

  @Field(() => String, { nullable: true, description: 'sha256 (hex) of the artifact at artifactUri.' })
  artifactDigest?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [MetricInput], { nullable: true })
  metrics?: MetricInput[] | null;

  @Field(() => ModelCardInput, { nullable: true })
  card?: ModelCardInput | null;
}

@ObjectType('CreateModelVersionPayload', { simpleResolvers: true })
export class CreateModelVersionPayload {
  @Field(() => ModelVersionType)
  modelVersion!: ModelVersionType;
}

@InputType('UpdateModelInput')
export class UpdateModelInput implements commands.UpdateModelInput {
  @Field(() => ID)
  modelId!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@ObjectType('UpdateModelPayload', { simpleResolvers: true })
export class UpdateModelPayload {
  @Field(() => ModelType)
  model!: ModelType;
}

@InputType('UpdateModelVersionInput', { description: 'Fields left out stay as they are; a given `card` replaces the whole card.' })
export class UpdateModelVersionInput implements commands.UpdateModelVersionInput {
  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  artifactUri?: string | null;

  @Field(() => String, { nullable: true, description: 'sha256 (hex) of the artifact at artifactUri.' })
  artifactDigest?: string | null;

  @Field(() => ModelCardInput, { nullable: true })
  card?: ModelCardInput | null;
}

@ObjectType('UpdateModelVersionPayload', { simpleResolvers: true })
export class UpdateModelVersionPayload {
  @Field(() => ModelVersionType)
  modelVersion!: ModelVersionType;
}
