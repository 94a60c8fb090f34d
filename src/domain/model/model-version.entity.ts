import { Entity, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Stage } from '../enums';
import { Run, type MetricValue } from '../experiment/run.entity';
import { User } from '../user/user.entity';
import type { Tag } from '../validate';
import { Model } from './model.entity';

export interface ModelCardData {
  intendedUse?: string | null;
  limitations?: string | null;
  trainingData?: string | null;
  evaluationData?: string | null;
  ethicalConsiderations?: string | null;
  featureImportance: { feature: string; importance: number }[];
}

@Entity({ tableName: 'model_versions' })
@Unique({ properties: ['model', 'version'] })
@Unique({ properties: ['model', 'externalId'] })
@Index({ properties: ['stage', 'model'] })
export class ModelVersion extends BaseEntity {
  @ManyToOne({ entity: () => Model, ref: true })
  model!: Ref<Model>;

  @Property({ type: 'integer' })
  version!: number;

  /** The pipeline's own id for the version (unique per model): creating it again returns this version. */
  @Property({ type: 'string', length: 200, nullable: true })
  externalId?: string | null;

  @Property({ type: 'string', length: 32 })
  stage!: Stage;

  /** When `stage` last changed (null while the version has never left NONE). */
  @Property({ type: 'datetime', nullable: true })
  stageChangedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @ManyToOne({ entity: () => Run, ref: true, nullable: true })
  @Index()
  run?: Ref<Run> | null;

  @Property({ type: 'string', length: 2000, nullable: true })
  artifactUri?: string | null;

  /** sha256 (hex) of the artifact, as the pipeline reported it. */
  @Property({ type: 'string', length: 64, nullable: true })
  artifactDigest?: string | null;

  /** When the evidence froze: the first promotion request, or reaching STAGING or PRODUCTION. Never cleared. */
  @Property({ type: 'datetime', nullable: true })
  evidenceFrozenAt?: Date | null;

  @Property({ type: 'json' })
  metrics: MetricValue[] & Opt = [];

  /** The database default fills rows older than tags (SQLite cannot add a NOT NULL column without one). */
  @Property({ type: 'json', defaultRaw: "'[]'" })
  tags: Tag[] & Opt = [];

  @Property({ type: 'json', nullable: true })
  card?: ModelCardData | null;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  createdBy!: Ref<User>;

  @Property({ type: 'datetime' })
  updatedAt: Date & Opt = new Date();
}
