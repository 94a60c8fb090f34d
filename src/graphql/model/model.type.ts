import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { ModelVersion } from '../../domain/model/model-version.entity';
import type { Model } from '../../domain/model/model.entity';
import { ConnectionType } from '../common/connection';
import { Stage } from '../common/enums';
import { NodeBase } from '../common/node';
import { DiscussableBase } from '../comment/discussable';
import { MetricType } from '../experiment/experiment.type';

export interface ModelType extends Pick<RowOf<Model>, 'goalId' | 'ownerId' | 'versionCount'> {}

@ObjectType('Model', { implements: [NodeBase, DiscussableBase], simpleResolvers: true })
export class ModelType extends DiscussableBase implements Partial<RowOf<Model>> {
  get typeName() {
    return 'Model';
  }

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

export interface ModelVersionType extends Pick<RowOf<ModelVersion>, 'modelId' | 'runId' | 'createdById' | 'stageChangedAt' | 'updatedAt' | 'evidenceFrozenAt'> {}

@ObjectType('ModelVersion', { implements: [NodeBase, DiscussableBase], simpleResolvers: true })
export class ModelVersionType extends DiscussableBase implements Partial<RowOf<ModelVersion>> {
  get typeName() {
    return 'ModelVersion';
  }

  @Field(() => Int)
  version!: number;

  @Field(() => Stage)
  stage!: Stage;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  artifactUri!: string | null;

  @Field(() => String, { nullable: true, description: 'sha256 (hex) of the artifact at artifactUri, as the pipeline reported it.' })
  artifactDigest!: string | null;

  @Field(() => [MetricType], { description: 'Metrics recorded with the version itself (the run keeps its own).' })
  metrics!: MetricType[];

  @Field(() => ModelCardType, { nullable: true })
  card!: ModelCardType | null;

  @Field(() => Date)
  createdAt!: Date;
}

export const ModelConnection = ConnectionType(ModelType, 'Model');
export const ModelVersionConnection = ConnectionType(ModelVersionType, 'ModelVersion');
