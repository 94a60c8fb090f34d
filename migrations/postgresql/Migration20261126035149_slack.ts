import { Migration } from '@mikro-orm/migrations';

export class Migration20261126035149_slack extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "slack_inbound_events" ("id" serial primary key, "created_at" timestamptz not null, "event_id" varchar(64) not null);`);
    this.addSql(`alter table "slack_inbound_events" add constraint "slack_inbound_events_event_id_unique" unique ("event_id");`);

    this.addSql(
      `create table "slack_threads" ("id" serial primary key, "created_at" timestamptz not null, "channel_id" varchar(64) not null, "thread_key" varchar(80) not null, "ts" varchar(32) not null);`,
    );
    this.addSql(`create index "slack_threads_channel_id_ts_index" on "slack_threads" ("channel_id", "ts");`);
    this.addSql(`alter table "slack_threads" add constraint "slack_threads_channel_id_thread_key_unique" unique ("channel_id", "thread_key");`);

    this.addSql(
      `create table "slack_follows" ("id" serial primary key, "created_at" timestamptz not null, "channel_id" varchar(64) not null, "subject_type" varchar(40) not null, "subject_id" int not null, "created_by_id" int not null);`,
    );
    this.addSql(`create index "slack_follows_created_by_id_index" on "slack_follows" ("created_by_id");`);
    this.addSql(`create index "slack_follows_subject_type_subject_id_index" on "slack_follows" ("subject_type", "subject_id");`);
    this.addSql(
      `alter table "slack_follows" add constraint "slack_follows_channel_id_subject_type_subject_id_unique" unique ("channel_id", "subject_type", "subject_id");`,
    );

    this.addSql(
      `create table "slack_deliveries" ("id" serial primary key, "created_at" timestamptz not null, "channel_id" varchar(64) not null, "event_id" int not null, "kind" varchar(16) not null, "thread_key" varchar(80) null, "status" varchar(16) not null, "attempts" int not null default 0, "not_before" timestamptz not null, "last_error" text null, "sent_at" timestamptz null);`,
    );
    this.addSql(`create index "slack_deliveries_event_id_index" on "slack_deliveries" ("event_id");`);
    this.addSql(`create index "slack_deliveries_status_channel_id_id_index" on "slack_deliveries" ("status", "channel_id", "id");`);
    this.addSql(
      `alter table "slack_deliveries" add constraint "slack_deliveries_channel_id_event_id_kind_unique" unique ("channel_id", "event_id", "kind");`,
    );

    this.addSql(
      `alter table "slack_follows" add constraint "slack_follows_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "slack_deliveries" add constraint "slack_deliveries_event_id_foreign" foreign key ("event_id") references "lifecycle_events" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "slack_inbound_events" cascade;`);

    this.addSql(`drop table if exists "slack_threads" cascade;`);

    this.addSql(`drop table if exists "slack_follows" cascade;`);

    this.addSql(`drop table if exists "slack_deliveries" cascade;`);
  }
}
