import { Migration } from '@mikro-orm/migrations';

export class Migration20261129073533_mlflow extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "mlflow_decisions" ("id" serial primary key, "created_at" timestamptz not null, "event_id" int not null, "registered_model" varchar(200) not null, "version" varchar(32) not null, "stage" varchar(32) not null, "promotion_request_id" varchar(200) not null, "status" varchar(16) not null, "attempts" int not null default 0, "not_before" timestamptz not null, "last_error" text null, "sent_at" timestamptz null);`,
    );
    this.addSql(`alter table "mlflow_decisions" add constraint "mlflow_decisions_event_id_unique" unique ("event_id");`);
    this.addSql(`create index "mlflow_decisions_status_id_index" on "mlflow_decisions" ("status", "id");`);

    this.addSql(
      `alter table "mlflow_decisions" add constraint "mlflow_decisions_event_id_foreign" foreign key ("event_id") references "lifecycle_events" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "mlflow_decisions" cascade;`);
  }
}
