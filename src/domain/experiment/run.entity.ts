import { Entity, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { RunStatus } from '../enums';
import type { Tag } from '../validate';
import { User } from '../user/user.entity';
import { Experiment } from './experiment.entity';

export interface MetricValue {
  key: string;
  value: number;
}

@Entity({ tableName: 'runs' })
@Unique({ properties: ['experiment', 'externalId'] })
export class Run extends BaseEntity {
  @ManyToOne({ entity: () => Experiment, ref: true })
  @Index()
  experiment!: Ref<Experiment>;

  /** The pipeline's own id for the run (unique per experiment): logging it again returns this run. */
  @Property({ type: 'string', length: 200, nullable: true })
  externalId?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  name?: string | null;

  @Property({ type: 'string', length: 32 })
  status!: RunStatus;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  author!: Ref<User>;

  @Property({ type: 'json' })
  params: Record<string, unknown> & Opt = {};

  /** The latest value of each metric key, in the order keys were first logged. */
  @Property({ type: 'json' })
  metrics: MetricValue[] & Opt = [];

  /** The database default fills rows older than tags (SQLite cannot add a NOT NULL column without one). */
  @Property({ type: 'json', defaultRaw: "'[]'" })
  tags: Tag[] & Opt = [];

  @Property({ type: 'string', length: 2000, nullable: true })
  datasetUri?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  codeVersion?: string | null;

  @Property({ type: 'datetime' })
  startedAt: Date & Opt = new Date();

  @Property({ type: 'datetime', nullable: true })
  finishedAt?: Date | null;
}
