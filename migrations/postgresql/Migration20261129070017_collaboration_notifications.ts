import { Migration } from '@mikro-orm/migrations';

export class Migration20261129070017_collaboration_notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "notifications" ("id" serial primary key, "created_at" timestamptz not null, "recipient_id" int not null, "event_id" int not null, "reason" varchar(32) not null, "read_at" timestamptz null);`,
    );
    this.addSql(`create index "notifications_recipient_id_index" on "notifications" ("recipient_id");`);
    this.addSql(`create index "notifications_event_id_index" on "notifications" ("event_id");`);
    this.addSql(`create index "notifications_recipient_id_read_at_index" on "notifications" ("recipient_id", "read_at");`);
    this.addSql(`alter table "notifications" add constraint "notifications_recipient_id_event_id_unique" unique ("recipient_id", "event_id");`);

    this.addSql(
      `alter table "notifications" add constraint "notifications_recipient_id_foreign" foreign key ("recipient_id") references "users" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_event_id_foreign" foreign key ("event_id") references "lifecycle_events" ("id") on update cascade;`,
    );

    // Existing users get their email's local part as handle, with their id added where that is taken.
    this.addSql(`alter table "users" add column "handle" varchar(64) null;`);
    this.addSql(`update "users" set "handle" = lower(replace(split_part("email", '@', 1), '+', '-'));`);
    this.addSql(`update "users" set "handle" = "handle" || "id" where "id" not in (select min("id") from "users" group by "handle");`);
    this.addSql(`alter table "users" add constraint "users_handle_unique" unique ("handle");`);

    this.addSql(
      `alter table "comments" add column "is_question" boolean not null default false, add column "answered_at" timestamptz null, add column "mentions" jsonb not null default '[]';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notifications" cascade;`);

    this.addSql(`alter table "comments" drop column "is_question", drop column "answered_at", drop column "mentions";`);

    this.addSql(`alter table "users" drop constraint "users_handle_unique";`);
    this.addSql(`alter table "users" drop column "handle";`);
  }
}
