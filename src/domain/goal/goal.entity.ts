import { Entity, Index, ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { GoalStatus } from '../enums';
import { User } from '../user/user.entity';

@Entity({ tableName: 'goals' })
export class Goal extends BaseEntity {
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text' })
  businessQuestion!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'string', length: 32 })
  @Index()
  status!: GoalStatus;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  owner!: Ref<User>;

  @Property({ type: 'datetime' })
  updatedAt: Date & Opt = new Date();
}
