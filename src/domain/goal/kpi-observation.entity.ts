import { Entity, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { ModelVersion } from '../model/model-version.entity';
import { User } from '../user/user.entity';
import { Kpi } from './kpi.entity';

@Entity({ tableName: 'kpi_observations' })
@Index({ properties: ['kpi', 'observedAt', 'id'] })
@Unique({ properties: ['kpi', 'sourceKey'] })
export class KpiObservation extends BaseEntity {
  @ManyToOne({ entity: () => Kpi, ref: true })
  kpi!: Ref<Kpi>;

  @Property({ type: 'double' })
  value!: number;

  @Property({ type: 'datetime' })
  observedAt!: Date;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  recordedBy!: Ref<User>;

  /** The value's key in the system it came from: recording the same key again changes nothing. */
  @Property({ type: 'string', length: 200, nullable: true })
  sourceKey?: string | null;

  /** The goal's model version in PRODUCTION at `observedAt` (by the stage history), if any. */
  @ManyToOne({ entity: () => ModelVersion, ref: true, nullable: true })
  @Index()
  modelVersion?: Ref<ModelVersion> | null;
}
