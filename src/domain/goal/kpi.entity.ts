import { Entity, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { KpiDirection } from '../enums';
import { Goal } from './goal.entity';

@Entity({ tableName: 'kpis' })
export class Kpi extends BaseEntity {
  @ManyToOne({ entity: () => Goal, ref: true })
  @Index()
  goal!: Ref<Goal>;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'string', length: 50, nullable: true })
  unit?: string | null;

  @Property({ type: 'string', length: 32 })
  direction!: KpiDirection;

  @Property({ type: 'double', nullable: true })
  baseline?: number | null;

  @Property({ type: 'double', nullable: true })
  target?: number | null;

  /** The value of the observation with the latest `observedAt`, kept here so lists need no aggregate. */
  @Property({ type: 'double', nullable: true })
  current?: number | null;

  @Property({ type: 'datetime', nullable: true })
  currentObservedAt?: Date | null;
}
