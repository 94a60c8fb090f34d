import { Entity, Property, Unique, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { PrincipalKind, type Role } from '../enums';

@Entity({ tableName: 'users' })
export class User extends BaseEntity {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 320 })
  @Unique()
  email!: string;

  /**
   * Unique, lower case, what `@mentions` name; derived from the email's local part when the user is
   * created. Every user has one: the column is nullable only so that SQLite could add it to a table
   * that had rows, which the migration then filled.
   */
  @Property({ type: 'string', length: 64, nullable: true })
  @Unique()
  handle!: string;

  @Property({ type: 'json' })
  roles!: Role[];

  /** The database default fills the rows of users made before service accounts existed. */
  @Property({ type: 'string', length: 16, defaultRaw: "'PERSON'" })
  kind: PrincipalKind & Opt = PrincipalKind.PERSON;

  @Property({ type: 'string', length: 64, nullable: true })
  @Unique()
  slackUserId?: string | null;

  @Property({ type: 'datetime' })
  updatedAt: Date & Opt = new Date();
}
