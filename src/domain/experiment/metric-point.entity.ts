import { Entity, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Run } from './run.entity';

/** One logged value of a run's metric: its history is every point of a key, in step order. */
@Entity({ tableName: 'metric_points' })
@Index({ properties: ['run', 'key', 'step'] })
export class MetricPoint extends BaseEntity {
  @ManyToOne({ entity: () => Run, ref: true })
  run!: Ref<Run>;

  @Property({ type: 'string', length: 200 })
  key!: string;

  @Property({ type: 'double' })
  value!: number;

  /** The training step; 0 when the pipeline gave none (as in MLflow). */
  @Property({ type: 'integer' })
  step!: number;

  @Property({ type: 'datetime' })
  timestamp!: Date;
}
