import { Entity, Index, ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Origin } from '../enums';
import { ModelVersion } from '../model/model-version.entity';
import { Monitor } from '../monitor/monitor.entity';
import { User } from '../user/user.entity';

export enum DriftKind {
  DATA = 'DATA',
  CONCEPT = 'CONCEPT',
  PERFORMANCE = 'PERFORMANCE',
  BUSINESS = 'BUSINESS',
}

export enum Severity {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}

/** LOW = 1 … CRITICAL = 4: stored beside the severity so lists sort and filter by it. */
export const SEVERITY_RANK: Record<Severity, number> = { LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

export enum DriftStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}

@Entity({ tableName: 'drift_flags' })
@Index({ properties: ['modelVersion', 'status'] })
@Index({ properties: ['modelId', 'status'] })
@Index({ properties: ['status', 'severityRank', 'id'] })
export class DriftFlag extends BaseEntity {
  @ManyToOne({ entity: () => ModelVersion, ref: true })
  modelVersion!: Ref<ModelVersion>;

  /** Denormalised from the version so that lists by model need no join. */
  @Property({ type: 'integer' })
  modelId!: number;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  raisedBy!: Ref<User>;

  @Property({ type: 'string', length: 32 })
  kind!: DriftKind;

  @Property({ type: 'string', length: 32 })
  severity!: Severity;

  @Property({ type: 'integer' })
  severityRank!: number;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  metric?: string | null;

  @Property({ type: 'double', nullable: true })
  observed?: number | null;

  @Property({ type: 'double', nullable: true })
  expected?: number | null;

  @Property({ type: 'string', length: 32 })
  status!: DriftStatus;

  @Property({ type: 'text', nullable: true })
  resolution?: string | null;

  @Property({ type: 'string', length: 32 })
  origin!: Origin;

  @Property({ type: 'datetime', nullable: true })
  acknowledgedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  resolvedAt?: Date | null;

  /** The monitor that raised it (origin MONITOR); null for flags raised by people, or once the monitor is deleted. */
  @ManyToOne({ entity: () => Monitor, ref: true, nullable: true })
  @Index()
  monitor?: Ref<Monitor> | null;

  /** How many breaches this flag has absorbed while open (1 for a new flag). */
  @Property({ type: 'integer', default: 1 })
  occurrences: number & Opt = 1;

  /** The latest breach it absorbed; null on rows older than monitors (their `createdAt` stands in). */
  @Property({ type: 'datetime', nullable: true })
  lastSeenAt?: Date | null;
}
