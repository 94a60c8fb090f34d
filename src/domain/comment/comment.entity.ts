import { Entity, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Origin } from '../enums';
import { User } from '../user/user.entity';

/** A comment on any discussable object, which `subjectType` and `subjectId` name. */
@Entity({ tableName: 'comments' })
@Index({ properties: ['subjectType', 'subjectId', 'id'] })
export class Comment extends BaseEntity {
  @Property({ type: 'string', length: 40 })
  subjectType!: string;

  @Property({ type: 'integer' })
  subjectId!: number;

  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  author!: Ref<User>;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'string', length: 32 })
  origin!: Origin;
}
