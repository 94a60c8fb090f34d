import { Entity, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { User } from './user.entity';

/** A bearer token. Only its SHA-256 hash is stored; the token itself is shown once. */
@Entity({ tableName: 'api_tokens' })
export class ApiToken extends BaseEntity {
  @ManyToOne({ entity: () => User, ref: true })
  @Index()
  user!: Ref<User>;

  @Property({ type: 'string', length: 64 })
  @Unique()
  tokenHash!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  label?: string | null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  /** After this instant the token no longer authenticates (null: never expires). */
  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date | null;
}
