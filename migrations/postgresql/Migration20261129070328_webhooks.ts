import { Migration } from '@mikro-orm/migrations';

export class Migration20261129070328_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "webhooks" ("id" serial primary key, "created_at" timestamptz not null, "url" varchar(2000) not null, "secret" varchar(64) not null, "event_types" jsonb not null, "model_id" int null, "active" boolean not null default true, "created_by_id" int not null);`,
    );
    this.addSql(`create index "webhooks_model_id_index" on "webhooks" ("model_id");`);
    this.addSql(`create index "webhooks_created_by_id_index" on "webhooks" ("created_by_id");`);

    this.addSql(
      `create table "webhook_deliveries" ("id" serial primary key, "created_at" timestamptz not null, "webhook_id" int not null, "event_id" int not null, "guid" varchar(36) not null, "status" varchar(16) not null, "attempts" int not null default 0, "not_before" timestamptz not null, "response_status" int null, "duration_ms" int null, "response_body" text null, "last_error" text null, "delivered_at" timestamptz null);`,
    );
    this.addSql(`create index "webhook_deliveries_webhook_id_index" on "webhook_deliveries" ("webhook_id");`);
    this.addSql(`create index "webhook_deliveries_event_id_index" on "webhook_deliveries" ("event_id");`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_guid_unique" unique ("guid");`);
    this.addSql(`create index "webhook_deliveries_status_webhook_id_id_index" on "webhook_deliveries" ("status", "webhook_id", "id");`);

    this.addSql(
      `alter table "webhooks" add constraint "webhooks_model_id_foreign" foreign key ("model_id") references "models" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "webhooks" add constraint "webhooks_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_webhook_id_foreign" foreign key ("webhook_id") references "webhooks" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_event_id_foreign" foreign key ("event_id") references "lifecycle_events" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_webhook_id_foreign";`);

    this.addSql(`drop table if exists "webhooks" cascade;`);

    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);
  }
}
