import { Migration } from '@mikro-orm/migrations';

export class Migration20261126033622_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "users" ("id" serial primary key, "created_at" timestamptz not null, "name" varchar(200) not null, "email" varchar(320) not null, "roles" jsonb not null, "slack_user_id" varchar(64) null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`alter table "users" add constraint "users_slack_user_id_unique" unique ("slack_user_id");`);

    this.addSql(
      `create table "lifecycle_events" ("id" serial primary key, "created_at" timestamptz not null, "type" varchar(32) not null, "actor_id" int null, "origin" varchar(32) not null, "subject_type" varchar(40) not null, "subject_id" int not null, "goal_id" int null, "model_id" int null, "model_version_id" int null, "summary" text not null, "data" jsonb not null);`,
    );
    this.addSql(`create index "lifecycle_events_actor_id_index" on "lifecycle_events" ("actor_id");`);
    this.addSql(`create index "lifecycle_events_model_version_id_index" on "lifecycle_events" ("model_version_id");`);
    this.addSql(`create index "lifecycle_events_type_id_index" on "lifecycle_events" ("type", "id");`);
    this.addSql(`create index "lifecycle_events_subject_type_subject_id_id_index" on "lifecycle_events" ("subject_type", "subject_id", "id");`);
    this.addSql(`create index "lifecycle_events_model_id_id_index" on "lifecycle_events" ("model_id", "id");`);
    this.addSql(`create index "lifecycle_events_goal_id_id_index" on "lifecycle_events" ("goal_id", "id");`);

    this.addSql(`create table "event_outbox" ("id" serial primary key, "created_at" timestamptz not null, "event_id" int not null);`);
    this.addSql(`create index "event_outbox_event_id_index" on "event_outbox" ("event_id");`);

    this.addSql(
      `create table "goals" ("id" serial primary key, "created_at" timestamptz not null, "title" varchar(200) not null, "business_question" text not null, "description" text null, "status" varchar(32) not null, "owner_id" int not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "goals_status_index" on "goals" ("status");`);
    this.addSql(`create index "goals_owner_id_index" on "goals" ("owner_id");`);

    this.addSql(
      `create table "models" ("id" serial primary key, "created_at" timestamptz not null, "name" varchar(200) not null, "description" text null, "goal_id" int not null, "owner_id" int not null, "version_count" int not null default 0);`,
    );
    this.addSql(`alter table "models" add constraint "models_name_unique" unique ("name");`);
    this.addSql(`create index "models_goal_id_index" on "models" ("goal_id");`);
    this.addSql(`create index "models_owner_id_index" on "models" ("owner_id");`);

    this.addSql(
      `create table "kpis" ("id" serial primary key, "created_at" timestamptz not null, "goal_id" int not null, "name" varchar(200) not null, "description" text null, "unit" varchar(50) null, "direction" varchar(32) not null, "baseline" double precision null, "target" double precision null, "current" double precision null, "current_observed_at" timestamptz null);`,
    );
    this.addSql(`create index "kpis_goal_id_index" on "kpis" ("goal_id");`);

    this.addSql(
      `create table "experiments" ("id" serial primary key, "created_at" timestamptz not null, "name" varchar(200) not null, "hypothesis" text null, "goal_id" int not null, "owner_id" int not null);`,
    );
    this.addSql(`create index "experiments_goal_id_index" on "experiments" ("goal_id");`);
    this.addSql(`create index "experiments_owner_id_index" on "experiments" ("owner_id");`);

    this.addSql(
      `create table "runs" ("id" serial primary key, "created_at" timestamptz not null, "experiment_id" int not null, "name" varchar(200) null, "status" varchar(32) not null, "author_id" int not null, "params" jsonb not null, "metrics" jsonb not null, "dataset_uri" varchar(2000) null, "code_version" varchar(200) null, "started_at" timestamptz not null, "finished_at" timestamptz null);`,
    );
    this.addSql(`create index "runs_experiment_id_index" on "runs" ("experiment_id");`);
    this.addSql(`create index "runs_author_id_index" on "runs" ("author_id");`);

    this.addSql(
      `create table "model_versions" ("id" serial primary key, "created_at" timestamptz not null, "model_id" int not null, "version" int not null, "stage" varchar(32) not null, "stage_changed_at" timestamptz null, "description" text null, "run_id" int null, "artifact_uri" varchar(2000) null, "metrics" jsonb not null, "card" jsonb null, "created_by_id" int not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "model_versions_run_id_index" on "model_versions" ("run_id");`);
    this.addSql(`create index "model_versions_created_by_id_index" on "model_versions" ("created_by_id");`);
    this.addSql(`create index "model_versions_stage_model_id_index" on "model_versions" ("stage", "model_id");`);
    this.addSql(`alter table "model_versions" add constraint "model_versions_model_id_version_unique" unique ("model_id", "version");`);

    this.addSql(
      `create table "promotion_requests" ("id" serial primary key, "created_at" timestamptz not null, "model_version_id" int not null, "model_id" int not null, "from_stage" varchar(32) not null, "to_stage" varchar(32) not null, "status" varchar(32) not null, "justification" text null, "requested_by_id" int not null, "required_roles" jsonb not null, "decided_at" timestamptz null);`,
    );
    this.addSql(`create index "promotion_requests_model_id_index" on "promotion_requests" ("model_id");`);
    this.addSql(`create index "promotion_requests_requested_by_id_index" on "promotion_requests" ("requested_by_id");`);
    this.addSql(`create index "promotion_requests_status_id_index" on "promotion_requests" ("status", "id");`);
    this.addSql(`create unique index "promotion_requests_one_pending" on "promotion_requests" ("model_version_id") where "status" = 'PENDING';`);
    this.addSql(`create index "promotion_requests_model_version_id_status_index" on "promotion_requests" ("model_version_id", "status");`);

    this.addSql(
      `create table "reviews" ("id" serial primary key, "created_at" timestamptz not null, "promotion_request_id" int not null, "reviewer_id" int not null, "role" varchar(32) not null, "decision" varchar(32) not null, "comment" text null, "origin" varchar(32) not null);`,
    );
    this.addSql(`create index "reviews_reviewer_id_index" on "reviews" ("reviewer_id");`);
    this.addSql(
      `alter table "reviews" add constraint "reviews_promotion_request_id_reviewer_id_unique" unique ("promotion_request_id", "reviewer_id");`,
    );

    this.addSql(
      `create table "kpi_observations" ("id" serial primary key, "created_at" timestamptz not null, "kpi_id" int not null, "value" double precision not null, "observed_at" timestamptz not null, "recorded_by_id" int not null, "model_version_id" int null);`,
    );
    this.addSql(`create index "kpi_observations_recorded_by_id_index" on "kpi_observations" ("recorded_by_id");`);
    this.addSql(`create index "kpi_observations_model_version_id_index" on "kpi_observations" ("model_version_id");`);
    this.addSql(`create index "kpi_observations_kpi_id_observed_at_id_index" on "kpi_observations" ("kpi_id", "observed_at", "id");`);

    this.addSql(
      `create table "feedback" ("id" serial primary key, "created_at" timestamptz not null, "goal_id" int not null, "model_version_id" int null, "author_id" int not null, "verdict" varchar(32) not null, "comment" text null, "origin" varchar(32) not null);`,
    );
    this.addSql(`create index "feedback_goal_id_index" on "feedback" ("goal_id");`);
    this.addSql(`create index "feedback_model_version_id_index" on "feedback" ("model_version_id");`);
    this.addSql(`create index "feedback_author_id_index" on "feedback" ("author_id");`);

    this.addSql(
      `create table "drift_flags" ("id" serial primary key, "created_at" timestamptz not null, "model_version_id" int not null, "model_id" int not null, "raised_by_id" int not null, "kind" varchar(32) not null, "severity" varchar(32) not null, "severity_rank" int not null, "description" text not null, "metric" varchar(200) null, "observed" double precision null, "expected" double precision null, "status" varchar(32) not null, "resolution" text null, "origin" varchar(32) not null, "acknowledged_at" timestamptz null, "resolved_at" timestamptz null);`,
    );
    this.addSql(`create index "drift_flags_raised_by_id_index" on "drift_flags" ("raised_by_id");`);
    this.addSql(`create index "drift_flags_status_severity_rank_id_index" on "drift_flags" ("status", "severity_rank", "id");`);
    this.addSql(`create index "drift_flags_model_id_status_index" on "drift_flags" ("model_id", "status");`);
    this.addSql(`create index "drift_flags_model_version_id_status_index" on "drift_flags" ("model_version_id", "status");`);

    this.addSql(
      `create table "comments" ("id" serial primary key, "created_at" timestamptz not null, "subject_type" varchar(40) not null, "subject_id" int not null, "author_id" int not null, "body" text not null, "origin" varchar(32) not null);`,
    );
    this.addSql(`create index "comments_author_id_index" on "comments" ("author_id");`);
    this.addSql(`create index "comments_subject_type_subject_id_id_index" on "comments" ("subject_type", "subject_id", "id");`);

    this.addSql(
      `create table "api_tokens" ("id" serial primary key, "created_at" timestamptz not null, "user_id" int not null, "token_hash" varchar(64) not null, "label" varchar(200) null, "revoked_at" timestamptz null);`,
    );
    this.addSql(`create index "api_tokens_user_id_index" on "api_tokens" ("user_id");`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(
      `alter table "lifecycle_events" add constraint "lifecycle_events_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "event_outbox" add constraint "event_outbox_event_id_foreign" foreign key ("event_id") references "lifecycle_events" ("id") on update cascade;`,
    );

    this.addSql(`alter table "goals" add constraint "goals_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade;`);

    this.addSql(`alter table "models" add constraint "models_goal_id_foreign" foreign key ("goal_id") references "goals" ("id") on update cascade;`);
    this.addSql(
      `alter table "models" add constraint "models_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(`alter table "kpis" add constraint "kpis_goal_id_foreign" foreign key ("goal_id") references "goals" ("id") on update cascade;`);

    this.addSql(
      `alter table "experiments" add constraint "experiments_goal_id_foreign" foreign key ("goal_id") references "goals" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "experiments" add constraint "experiments_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "runs" add constraint "runs_experiment_id_foreign" foreign key ("experiment_id") references "experiments" ("id") on update cascade;`,
    );
    this.addSql(`alter table "runs" add constraint "runs_author_id_foreign" foreign key ("author_id") references "users" ("id") on update cascade;`);

    this.addSql(
      `alter table "model_versions" add constraint "model_versions_model_id_foreign" foreign key ("model_id") references "models" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "model_versions" add constraint "model_versions_run_id_foreign" foreign key ("run_id") references "runs" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "model_versions" add constraint "model_versions_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "promotion_requests" add constraint "promotion_requests_model_version_id_foreign" foreign key ("model_version_id") references "model_versions" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "promotion_requests" add constraint "promotion_requests_requested_by_id_foreign" foreign key ("requested_by_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "reviews" add constraint "reviews_promotion_request_id_foreign" foreign key ("promotion_request_id") references "promotion_requests" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "reviews" add constraint "reviews_reviewer_id_foreign" foreign key ("reviewer_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "kpi_observations" add constraint "kpi_observations_kpi_id_foreign" foreign key ("kpi_id") references "kpis" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "kpi_observations" add constraint "kpi_observations_recorded_by_id_foreign" foreign key ("recorded_by_id") references "users" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "kpi_observations" add constraint "kpi_observations_model_version_id_foreign" foreign key ("model_version_id") references "model_versions" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "feedback" add constraint "feedback_goal_id_foreign" foreign key ("goal_id") references "goals" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "feedback" add constraint "feedback_model_version_id_foreign" foreign key ("model_version_id") references "model_versions" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "feedback" add constraint "feedback_author_id_foreign" foreign key ("author_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "drift_flags" add constraint "drift_flags_model_version_id_foreign" foreign key ("model_version_id") references "model_versions" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "drift_flags" add constraint "drift_flags_raised_by_id_foreign" foreign key ("raised_by_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "comments" add constraint "comments_author_id_foreign" foreign key ("author_id") references "users" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "api_tokens" add constraint "api_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "lifecycle_events" drop constraint "lifecycle_events_actor_id_foreign";`);

    this.addSql(`alter table "goals" drop constraint "goals_owner_id_foreign";`);

    this.addSql(`alter table "models" drop constraint "models_owner_id_foreign";`);

    this.addSql(`alter table "experiments" drop constraint "experiments_owner_id_foreign";`);

    this.addSql(`alter table "runs" drop constraint "runs_author_id_foreign";`);

    this.addSql(`alter table "model_versions" drop constraint "model_versions_created_by_id_foreign";`);

    this.addSql(`alter table "promotion_requests" drop constraint "promotion_requests_requested_by_id_foreign";`);

    this.addSql(`alter table "reviews" drop constraint "reviews_reviewer_id_foreign";`);

    this.addSql(`alter table "kpi_observations" drop constraint "kpi_observations_recorded_by_id_foreign";`);

    this.addSql(`alter table "feedback" drop constraint "feedback_author_id_foreign";`);

    this.addSql(`alter table "drift_flags" drop constraint "drift_flags_raised_by_id_foreign";`);

    this.addSql(`alter table "comments" drop constraint "comments_author_id_foreign";`);

    this.addSql(`alter table "api_tokens" drop constraint "api_tokens_user_id_foreign";`);

    this.addSql(`alter table "event_outbox" drop constraint "event_outbox_event_id_foreign";`);

    this.addSql(`alter table "models" drop constraint "models_goal_id_foreign";`);

    this.addSql(`alter table "kpis" drop constraint "kpis_goal_id_foreign";`);

    this.addSql(`alter table "experiments" drop constraint "experiments_goal_id_foreign";`);

    this.addSql(`alter table "feedback" drop constraint "feedback_goal_id_foreign";`);

    this.addSql(`alter table "model_versions" drop constraint "model_versions_model_id_foreign";`);

    this.addSql(`alter table "kpi_observations" drop constraint "kpi_observations_kpi_id_foreign";`);

    this.addSql(`alter table "runs" drop constraint "runs_experiment_id_foreign";`);

    this.addSql(`alter table "model_versions" drop constraint "model_versions_run_id_foreign";`);

    this.addSql(`alter table "promotion_requests" drop constraint "promotion_requests_model_version_id_foreign";`);

    this.addSql(`alter table "kpi_observations" drop constraint "kpi_observations_model_version_id_foreign";`);

    this.addSql(`alter table "feedback" drop constraint "feedback_model_version_id_foreign";`);

    this.addSql(`alter table "drift_flags" drop constraint "drift_flags_model_version_id_foreign";`);

    this.addSql(`alter table "reviews" drop constraint "reviews_promotion_request_id_foreign";`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "lifecycle_events" cascade;`);

    this.addSql(`drop table if exists "event_outbox" cascade;`);

    this.addSql(`drop table if exists "goals" cascade;`);

    this.addSql(`drop table if exists "models" cascade;`);

    this.addSql(`drop table if exists "kpis" cascade;`);

    this.addSql(`drop table if exists "experiments" cascade;`);

    this.addSql(`drop table if exists "runs" cascade;`);

    this.addSql(`drop table if exists "model_versions" cascade;`);

    this.addSql(`drop table if exists "promotion_requests" cascade;`);

    this.addSql(`drop table if exists "reviews" cascade;`);

    this.addSql(`drop table if exists "kpi_observations" cascade;`);

    this.addSql(`drop table if exists "feedback" cascade;`);

    this.addSql(`drop table if exists "drift_flags" cascade;`);

    this.addSql(`drop table if exists "comments" cascade;`);

    this.addSql(`drop table if exists "api_tokens" cascade;`);
  }
}
