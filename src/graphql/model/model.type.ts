import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { ModelVersion } from '../../domain/model/model-version.entity';
import type { Model } from '../../domain/model/model.entity';
import { ConnectionType } from '../common/connection';
import { Stage } from '../common/enums';
import { NodeBase } from '../common/node';
import { heavyColumns } from '../lookahead';
import { DiscussableBase } from '../comment/discussable';
import { MetricType, TagType } from '../experiment/experiment.type';

export interface ModelType extends Pick<RowOf<Model>, 'goalId' | 'ownerId' | 'versionCount'> {}

@ObjectType('Model', {
  implements: [NodeBase, DiscussableBase],
  simpleResolvers: true,
  description: "A model built to answer a goal's business question, released as numbered versions.",
})
export class ModelType extends DiscussableBase implements Partial<RowOf<Model>> {
  get typeName() {
    return 'Model';
  }

  @Field(() => String, { description: "The model's name, unique across the hub." })
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the model does; null when not given.' })
  description!: string | null;

  @Field(() => Date, { description: 'When the model was registered.' })
  createdAt!: Date;
}

@ObjectType('FeatureImportance', { simpleResolvers: true, description: "How much one input feature weighs in the model's predictions." })
export class FeatureImportanceType {
  @Field(() => String, { description: "The feature's name." })
  feature!: string;

  @Field(() => Float, { description: 'Its importance, on the scale of the method that measured it.' })
  importance!: number;
}

@ObjectType('ModelCard', { simpleResolvers: true, description: 'What SMEs, auditors and regulators need to know about a model version.' })
export class ModelCardType {
  @Field(() => String, { nullable: true, description: 'What the model is for, and what not; null when not given.' })
  intendedUse!: string | null;

  @Field(() => String, { nullable: true, description: 'Where the model is known to fall short; null when not given.' })
  limitations!: string | null;

  @Field(() => String, { nullable: true, description: 'The data it was trained on; null when not given.' })
  trainingData!: string | null;

  @Field(() => String, { nullable: true, description: 'The data it was evaluated on; null when not given.' })
  evaluationData!: string | null;

  @Field(() => String, { nullable: true, description: 'Risks to people, fairness and privacy, and how they are handled; null when not given.' })
  ethicalConsiderations!: string | null;

  @Field(() => [FeatureImportanceType], { description: 'The most important features, as given; empty when none were; the first 100.' })
  featureImportance!: FeatureImportanceType[];
}

export interface ModelVersionType
  extends Pick<RowOf<ModelVersion>, 'modelId' | 'runId' | 'createdById' | 'stageChangedAt' | 'updatedAt' | 'evidenceFrozenAt'> {}

@ObjectType('ModelVersion', {
  implements: [NodeBase, DiscussableBase],
  simpleResolvers: true,
  description: 'One trained, numbered version of a model, with its evidence and its stage.',
})
export class ModelVersionType extends DiscussableBase implements Partial<RowOf<ModelVersion>> {
  get typeName() {
    return 'ModelVersion';
  }

  @Field(() => Int, { description: 'The version number: 1, 2, 3… per model.' })
  version!: number;

  @Field(() => Stage, { description: 'Where the version stands in its release.' })
  stage!: Stage;

  @Field(() => String, { nullable: true, description: "The pipeline's own id for the version, unique per model." })
  externalId!: string | null;

  @Field(() => [TagType], { description: "The version's tags, in the order first given." })
  tags!: TagType[];

  @Field(() => String, { nullable: true, description: 'What changed in this version; null when not given.' })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'Where the trained artifact is; null when not given.' })
  artifactUri!: string | null;

  @Field(() => String, { nullable: true, description: 'sha256 (hex) of the artifact at artifactUri, as the pipeline reported it.' })
  artifactDigest!: string | null;

  @Field(() => [MetricType], { description: 'Metrics recorded with the version itself (the run keeps its own); the first 100.' })
  metrics!: MetricType[];

  @Field(() => ModelCardType, { nullable: true, description: "The version's model card; null when none was given." })
  card!: ModelCardType | null;

  @Field(() => Date, { description: 'When the version was created.' })
  createdAt!: Date;
}

/** Every column a field of the same name shows; the fields that follow a model's keys to its versions, owner, goal, flags and comments read no other. */
export const MODEL_COLUMNS = heavyColumns(
  ['name', 'description', 'createdAt'],
  ['id', 'goal', 'owner', 'versions', 'version', 'latestVersion', 'productionVersion', 'comments', 'openDriftFlags'],
);

/**
 * A version's model card (its one large column) and the text columns a field of the same name
 * shows: each read only when its field (or a field not known to be light) is asked for.
 */
export const VERSION_COLUMNS = heavyColumns(
  ['card', 'tags', 'description', 'artifactUri', 'artifactDigest', 'externalId'],
  ['id', 'version', 'stage', 'metrics', 'createdAt', 'model', 'run', 'createdBy', 'evidenceFrozen'],
);

export const ModelConnection = ConnectionType(ModelType, 'Model');
export const ModelVersionConnection = ConnectionType(ModelVersionType, 'ModelVersion');
