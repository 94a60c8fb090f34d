import { PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/**
 * Conventions for every entity: enum values are stored as plain strings (the services and the
 * GraphQL enums validate them) because MikroORM 6's SQLite schema reader misreads CHECK lists of
 * more than two values and would report a schema diff forever; enum properties get no database
 * default, for the same reason; explicit `@Index()` on every foreign key, which PostgreSQL does not
 * index by itself.
 *
 * Integer keys: the API never shows them, it hands out opaque global IDs (`Type:id`, base64url). */
export abstract class BaseEntity {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
