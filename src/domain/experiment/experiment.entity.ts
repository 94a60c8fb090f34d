import { Entity, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Goal } from '../goal/goal.entity';
import { User } from '../user/user.entity';

@Entity({ tableName: 'experiments' })
export class Experiment extends BaseEntity {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'text', nullable: true })
  hypothesis?: string | null;

  @ManyToOne({ entity: () => Goal, ref: true })
  @Index()
  goal!: Ref<Goal>;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  owner!: Ref<User>;
}
