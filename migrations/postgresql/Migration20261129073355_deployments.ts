import { Migration } from '@mikro-orm/migrations';

export class Migration20261129073355_deployments extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "deployments" ("id" serial primary key, "created_at" timestamptz not null, "model_version_id" int not null, "environment" varchar(100) not null, "status" varchar(32) not null, "url" varchar(2000) null, "detail" text null, "recorded_by_id" int not null);`,
    );
    this.addSql(`create index "deployments_model_version_id_index" on "deployments" ("model_version_id");`);
    this.addSql(`create index "deployments_recorded_by_id_index" on "deployments" ("recorded_by_id");`);

    this.addSql(
      `alter table "deployments" add constraint "deployments_model_version_id_foreign" foreign key ("model_version_id") references "model_versions" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "deployments" add constraint "deployments_recorded_by_id_foreign" foreign key ("recorded_by_id") references "users" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "deployments" cascade;`);
  }
}
