import { Entity, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Goal } from '../goal/goal.entity';
import { User } from '../user/user.entity';

@Entity({ tableName: 'models' })
export class Model extends BaseEntity {
  @Property({ type: 'string', length: 200 })
  @Unique()
  name!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @ManyToOne({ entity: () => Goal, ref: true })
  @Index()
  goal!: Ref<Goal>;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  owner!: Ref<User>;

  /** The highest version number handed out; incremented atomically so numbers never repeat. */
  @Property({ type: 'integer' })
  versionCount: number & Opt = 0;
}
