import { Entity, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { ModelVersion } from '../model/model-version.entity';
import { User } from '../user/user.entity';

export enum DeploymentStatus {
  STARTED = 'STARTED',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  ROLLED_BACK = 'ROLLED_BACK',
}

/** A deployment of a model version to an environment, as the deploying pipeline reported it. */
@Entity({ tableName: 'deployments' })
export class Deployment extends BaseEntity {
  @ManyToOne({ entity: () => ModelVersion, ref: true })
  @Index()
  modelVersion!: Ref<ModelVersion>;

  @Property({ type: 'string', length: 100 })
  environment!: string;

  @Property({ type: 'string', length: 32 })
  status!: DeploymentStatus;

  @Property({ type: 'string', length: 2000, nullable: true })
  url?: string | null;

  @Property({ type: 'text', nullable: true })
  detail?: string | null;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  recordedBy!: Ref<User>;
}
