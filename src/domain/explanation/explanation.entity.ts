import { Entity, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { ModelVersion } from '../model/model-version.entity';
import { User } from '../user/user.entity';

/** One feature's part in an outcome, as the pipeline computed it. */
export interface FeatureContribution {
  feature: string;
  value: string | null;
  contribution: number;
}

/** Why a version produced an outcome for one subject (e.g. a customer); one per subject and version. */
@Entity({ tableName: 'prediction_explanations' })
@Unique({ properties: ['modelVersion', 'subjectKey'] })
export class PredictionExplanation extends BaseEntity {
  @ManyToOne({ entity: () => ModelVersion, ref: true })
  modelVersion!: Ref<ModelVersion>;

  @Property({ type: 'string', length: 200 })
  subjectKey!: string;

  @Property({ type: 'string', length: 200 })
  prediction!: string;

  @Property({ type: 'double', nullable: true })
  score?: number | null;

  /** Largest absolute contribution first. */
  @Property({ type: 'json' })
  attributions!: FeatureContribution[];

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  recordedBy!: Ref<User>;

  /** When the explanation was last replaced (set by the service, not on any flush). */
  @Property({ type: 'datetime' })
  updatedAt: Date & Opt = new Date();
}
