import { Migration } from '@mikro-orm/migrations';

export class Migration20261129070146_ingestion extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "metric_points" ("id" serial primary key, "created_at" timestamptz not null, "run_id" int not null, "key" varchar(200) not null, "value" double precision not null, "step" int not null, "timestamp" timestamptz not null);`,
    );
    this.addSql(`create index "metric_points_run_id_key_step_index" on "metric_points" ("run_id", "key", "step");`);

    this.addSql(
      `alter table "metric_points" add constraint "metric_points_run_id_foreign" foreign key ("run_id") references "runs" ("id") on update cascade;`,
    );

    this.addSql(`alter table "runs" add column "external_id" varchar(200) null, add column "tags" jsonb not null default '[]';`);
    this.addSql(`alter table "runs" add constraint "runs_experiment_id_external_id_unique" unique ("experiment_id", "external_id");`);

    this.addSql(`alter table "model_versions" add column "external_id" varchar(200) null, add column "tags" jsonb not null default '[]';`);
    this.addSql(`alter table "model_versions" add constraint "model_versions_model_id_external_id_unique" unique ("model_id", "external_id");`);

    // The metrics runs already have become the first point of each key's history.
    this.addSql(
      `insert into "metric_points" ("created_at", "run_id", "key", "value", "step", "timestamp") select r."started_at", r."id", m.value->>'key', (m.value->>'value')::double precision, 0, r."started_at" from "runs" r, jsonb_array_elements(r."metrics") with ordinality m(value, n) order by r."id", m.n;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "metric_points" cascade;`);

    this.addSql(`alter table "model_versions" drop constraint "model_versions_model_id_external_id_unique";`);
    this.addSql(`alter table "model_versions" drop column "external_id", drop column "tags";`);

    this.addSql(`alter table "runs" drop constraint "runs_experiment_id_external_id_unique";`);
    this.addSql(`alter table "runs" drop column "external_id", drop column "tags";`);
  }
}
