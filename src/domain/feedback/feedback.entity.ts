import { Entity, Index, ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Origin } from '../enums';
import { PredictionExplanation } from '../explanation/explanation.entity';
import { Goal } from '../goal/goal.entity';
import { ModelVersion } from '../model/model-version.entity';
import { User } from '../user/user.entity';

export enum FeedbackVerdict {
  MEETS_GOAL = 'MEETS_GOAL',
  PARTIALLY_MEETS = 'PARTIALLY_MEETS',
  MISSES_GOAL = 'MISSES_GOAL',
}

/** What feedback is about: the model against its goal, or one outcome it produced. */
export enum FeedbackKind {
  GENERAL = 'GENERAL',
  /** A dispute of one explained outcome (`disputeOutcome`). */
  OUTCOME = 'OUTCOME',
}

/** A business user's judgement: does the model answer the business question? */
@Entity({ tableName: 'feedback' })
export class Feedback extends BaseEntity {
  @ManyToOne({ entity: () => Goal, ref: true })
  @Index()
  goal!: Ref<Goal>;

  @ManyToOne({ entity: () => ModelVersion, ref: true, nullable: true })
  @Index()
  modelVersion?: Ref<ModelVersion> | null;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  author!: Ref<User>;

  @Property({ type: 'string', length: 32 })
  verdict!: FeedbackVerdict;

  @Property({ type: 'text', nullable: true })
  comment?: string | null;

  @Property({ type: 'string', length: 32 })
  origin!: Origin;

  @Property({ type: 'string', length: 32, default: FeedbackKind.GENERAL })
  kind: FeedbackKind & Opt = FeedbackKind.GENERAL;

  /** The explained outcome disputed, for kind OUTCOME. */
  @ManyToOne({ entity: () => PredictionExplanation, ref: true, nullable: true })
  @Index()
  explanation?: Ref<PredictionExplanation> | null;
}
