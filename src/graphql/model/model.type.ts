import { Field, Float, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../common/connection';
import { Stage } from '../common/enums';
import { NodeBase } from '../common/node';
import { DiscussableBase } from '../comment/discussable';
import { MetricType } from '../experiment/experiment.type';

@ObjectType('Model', { implements: [NodeBase, DiscussableBase], simpleResolvers: true })
export class ModelType extends DiscussableBase {
  get typeName() {
    return 'Model';
  }

  goalId!: number;
  ownerId!: number;
  versionCount!: number;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('FeatureImportance', { simpleResolvers: true })
export class FeatureImportanceType {
  @Field(() => String)
  feature!: string;

  @Field(() => Float)
  importance!: number;
}

@ObjectType('ModelCard', { simpleResolvers: true, description: 'What SMEs, auditors and regulators need to know about a model version.' })
export class ModelCardType {
  @Field(() => String, { nullable: true })
  intendedUse!: string | null;

  @Field(() => String, { nullable: true })
  limitations!: string | null;

  @Field(() => String, { nullable: true })
  trainingData!: string | null;

  @Field(() => String, { nullable: true })
  evaluationData!: string | null;

  @Field(() => String, { nullable: true })
  ethicalConsiderations!: string | null;

  @Field(() => [FeatureImportanceType])
  featureImportance!: FeatureImportanceType[];
}

@ObjectType('ModelVersion', { implements: [NodeBase, DiscussableBase], simpleResolvers: true })
export class ModelVersionType extends DiscussableBase {
  get typeName() {
    return 'ModelVersion';
  }

  modelId!: number;
  runId!: number | null;
  createdById!: number;

  @Field(() => Int)
  version!: number;

  @Field(() => Stage)
  stage!: Stage;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  artifactUri!: string | null;

  @Field(() => [MetricType], { description: 'Metrics recorded with the version itself (the run keeps its own).' })
  metrics!: MetricType[];

  @Field(() => ModelCardType, { nullable: true })
  card!: ModelCardType | null;

  @Field(() => Date)
  createdAt!: Date;
}

export const ModelConnection = ConnectionType(ModelType, 'Model');
export const ModelVersionConnection = ConnectionType(ModelVersionType, 'ModelVersion');
