import { Entity, Index, ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import type { Severity } from '../drift/drift-flag.entity';
import { Goal } from '../goal/goal.entity';
import { Kpi } from '../goal/kpi.entity';
import { Model } from '../model/model.entity';
import { User } from '../user/user.entity';

export enum MonitorSource {
  /** Each new value of the KPI. */
  KPI = 'KPI',
  /** Each new value of a metric logged on the run of a version of the model while it is in PRODUCTION. */
  VERSION_METRIC = 'VERSION_METRIC',
}

export enum MonitorCondition {
  ABOVE = 'ABOVE',
  BELOW = 'BELOW',
  /** Worse than the KPI's baseline, in its direction, by more than `threshold` percent. */
  WORSE_THAN_BASELINE_PCT = 'WORSE_THAN_BASELINE_PCT',
}

/** A rule that watches each new observation of a KPI or a version metric and raises drift when it breaches. */
@Entity({ tableName: 'monitors' })
export class Monitor extends BaseEntity {
  @ManyToOne({ entity: () => Goal, ref: true })
  @Index()
  goal!: Ref<Goal>;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 32 })
  source!: MonitorSource;

  @ManyToOne({ entity: () => Kpi, ref: true, nullable: true })
  @Index()
  kpi?: Ref<Kpi> | null;

  @ManyToOne({ entity: () => Model, ref: true, nullable: true })
  @Index()
  model?: Ref<Model> | null;

  @Property({ type: 'string', length: 200, nullable: true })
  metricKey?: string | null;

  @Property({ type: 'string', length: 32 })
  condition!: MonitorCondition;

  @Property({ type: 'double' })
  threshold!: number;

  /** Consecutive breaching observations needed before a flag is raised. */
  @Property({ type: 'integer' })
  window!: number;

  @Property({ type: 'string', length: 32 })
  severity!: Severity;

  /** Healthy observations in a row after which the monitor resolves its open flag; null: never. */
  @Property({ type: 'integer', nullable: true })
  autoResolveAfter?: number | null;

  @Property({ type: 'boolean' })
  paused: boolean & Opt = false;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  createdBy!: Ref<User>;

  /** Breaching observations in a row so far. */
  @Property({ type: 'integer' })
  breachStreak: number & Opt = 0;

  /** Healthy observations in a row so far. */
  @Property({ type: 'integer' })
  healthyStreak: number & Opt = 0;
}
