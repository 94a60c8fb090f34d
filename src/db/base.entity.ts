import { PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/** Integer keys: the API never shows them, it hands out opaque global IDs (`Type:id`, base64url). */
export abstract class BaseEntity {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
