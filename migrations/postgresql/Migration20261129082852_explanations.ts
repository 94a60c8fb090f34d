import { Migration } from '@mikro-orm/migrations';

export class Migration20261129082852_explanations extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "prediction_explanations" ("id" serial primary key, "created_at" timestamptz not null, "model_version_id" int not null, "subject_key" varchar(200) not null, "prediction" varchar(200) not null, "score" double precision null, "attributions" jsonb not null, "recorded_by_id" int not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "prediction_explanations_recorded_by_id_index" on "prediction_explanations" ("recorded_by_id");`);
    this.addSql(
      `alter table "prediction_explanations" add constraint "prediction_explanations_model_version_id_subject_key_unique" unique ("model_version_id", "subject_key");`,
    );

    this.addSql(
      `alter table "prediction_explanations" add constraint "prediction_explanations_model_version_id_foreign" foreign key ("model_version_id") references "model_versions" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "prediction_explanations" add constraint "prediction_explanations_recorded_by_id_foreign" foreign key ("recorded_by_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(`alter table "feedback" add column "kind" varchar(32) not null default 'GENERAL', add column "explanation_id" int null;`);
    this.addSql(
      `alter table "feedback" add constraint "feedback_explanation_id_foreign" foreign key ("explanation_id") references "prediction_explanations" ("id") on update cascade on delete set null;`,
    );
    this.addSql(`create index "feedback_explanation_id_index" on "feedback" ("explanation_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "feedback" drop constraint "feedback_explanation_id_foreign";`);

    this.addSql(`drop table if exists "prediction_explanations" cascade;`);

    this.addSql(`drop index "feedback_explanation_id_index";`);
    this.addSql(`alter table "feedback" drop column "kind", drop column "explanation_id";`);
  }
}
