import { Entity, Index, ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
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

  /** A question stays open until its author or the owner of what it is on marks it answered. */
  @Property({ type: 'boolean' })
  isQuestion: boolean & Opt = false;

  @Property({ type: 'datetime', nullable: true })
  answeredAt?: Date | null;

  /** The ids of the users its `@handle`s name, in the order they first appear. */
  @Property({ type: 'json', default: '[]' })
  mentions: number[] & Opt = [];
}
