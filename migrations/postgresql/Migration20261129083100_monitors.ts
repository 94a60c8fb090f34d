import { Migration } from '@mikro-orm/migrations';

export class Migration20261129083100_monitors extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "monitors" ("id" serial primary key, "created_at" timestamptz not null, "goal_id" int not null, "name" varchar(200) not null, "source" varchar(32) not null, "kpi_id" int null, "model_id" int null, "metric_key" varchar(200) null, "condition" varchar(32) not null, "threshold" double precision not null, "window" int not null, "severity" varchar(32) not null, "auto_resolve_after" int null, "paused" boolean not null default false, "created_by_id" int not null, "breach_streak" int not null default 0, "healthy_streak" int not null default 0);`,
    );
    this.addSql(`create index "monitors_goal_id_index" on "monitors" ("goal_id");`);
    this.addSql(`create index "monitors_kpi_id_index" on "monitors" ("kpi_id");`);
    this.addSql(`create index "monitors_model_id_index" on "monitors" ("model_id");`);
    this.addSql(`create index "monitors_created_by_id_index" on "monitors" ("created_by_id");`);

    this.addSql(
      `alter table "monitors" add constraint "monitors_goal_id_foreign" foreign key ("goal_id") references "goals" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "monitors" add constraint "monitors_kpi_id_foreign" foreign key ("kpi_id") references "kpis" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "monitors" add constraint "monitors_model_id_foreign" foreign key ("model_id") references "models" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "monitors" add constraint "monitors_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "drift_flags" add column "monitor_id" int null, add column "occurrences" int not null default 1, add column "last_seen_at" timestamptz null;`,
    );
    this.addSql(
      `alter table "drift_flags" add constraint "drift_flags_monitor_id_foreign" foreign key ("monitor_id") references "monitors" ("id") on update cascade on delete set null;`,
    );
    this.addSql(`create index "drift_flags_monitor_id_index" on "drift_flags" ("monitor_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "drift_flags" drop constraint "drift_flags_monitor_id_foreign";`);

    this.addSql(`drop table if exists "monitors" cascade;`);

    this.addSql(`drop index "drift_flags_monitor_id_index";`);
    this.addSql(`alter table "drift_flags" drop column "monitor_id", drop column "occurrences", drop column "last_seen_at";`);
  }
}
