import { Migration } from '@mikro-orm/migrations';

export class Migration20261126033622_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`users\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`name\` text not null, \`email\` text not null, \`roles\` json not null, \`slack_user_id\` text null, \`updated_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`users_email_unique\` on \`users\` (\`email\`);`);
    this.addSql(`create unique index \`users_slack_user_id_unique\` on \`users\` (\`slack_user_id\`);`);

    this.addSql(
      `create table \`lifecycle_events\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`type\` text not null, \`actor_id\` integer null, \`origin\` text not null, \`subject_type\` text not null, \`subject_id\` integer not null, \`goal_id\` integer null, \`model_id\` integer null, \`model_version_id\` integer null, \`summary\` text not null, \`data\` json not null, constraint \`lifecycle_events_actor_id_foreign\` foreign key(\`actor_id\`) references \`users\`(\`id\`) on delete set null on update cascade);`,
    );
    this.addSql(`create index \`lifecycle_events_actor_id_index\` on \`lifecycle_events\` (\`actor_id\`);`);
    this.addSql(`create index \`lifecycle_events_model_version_id_index\` on \`lifecycle_events\` (\`model_version_id\`);`);
    this.addSql(`create index \`lifecycle_events_type_id_index\` on \`lifecycle_events\` (\`type\`, \`id\`);`);
    this.addSql(
      `create index \`lifecycle_events_subject_type_subject_id_id_index\` on \`lifecycle_events\` (\`subject_type\`, \`subject_id\`, \`id\`);`,
    );
    this.addSql(`create index \`lifecycle_events_model_id_id_index\` on \`lifecycle_events\` (\`model_id\`, \`id\`);`);
    this.addSql(`create index \`lifecycle_events_goal_id_id_index\` on \`lifecycle_events\` (\`goal_id\`, \`id\`);`);

    this.addSql(
      `create table \`event_outbox\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`event_id\` integer not null, constraint \`event_outbox_event_id_foreign\` foreign key(\`event_id\`) references \`lifecycle_events\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`event_outbox_event_id_index\` on \`event_outbox\` (\`event_id\`);`);

    this.addSql(
      `create table \`goals\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`title\` text not null, \`business_question\` text not null, \`description\` text null, \`status\` text not null, \`owner_id\` integer not null, \`updated_at\` datetime not null, constraint \`goals_owner_id_foreign\` foreign key(\`owner_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`goals_status_index\` on \`goals\` (\`status\`);`);
    this.addSql(`create index \`goals_owner_id_index\` on \`goals\` (\`owner_id\`);`);

    this.addSql(
      `create table \`models\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`name\` text not null, \`description\` text null, \`goal_id\` integer not null, \`owner_id\` integer not null, \`version_count\` integer not null default 0, constraint \`models_goal_id_foreign\` foreign key(\`goal_id\`) references \`goals\`(\`id\`) on update cascade, constraint \`models_owner_id_foreign\` foreign key(\`owner_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create unique index \`models_name_unique\` on \`models\` (\`name\`);`);
    this.addSql(`create index \`models_goal_id_index\` on \`models\` (\`goal_id\`);`);
    this.addSql(`create index \`models_owner_id_index\` on \`models\` (\`owner_id\`);`);

    this.addSql(
      `create table \`kpis\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`goal_id\` integer not null, \`name\` text not null, \`description\` text null, \`unit\` text null, \`direction\` text not null, \`baseline\` double null, \`target\` double null, \`current\` double null, \`current_observed_at\` datetime null, constraint \`kpis_goal_id_foreign\` foreign key(\`goal_id\`) references \`goals\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`kpis_goal_id_index\` on \`kpis\` (\`goal_id\`);`);

    this.addSql(
      `create table \`experiments\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`name\` text not null, \`hypothesis\` text null, \`goal_id\` integer not null, \`owner_id\` integer not null, constraint \`experiments_goal_id_foreign\` foreign key(\`goal_id\`) references \`goals\`(\`id\`) on update cascade, constraint \`experiments_owner_id_foreign\` foreign key(\`owner_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`experiments_goal_id_index\` on \`experiments\` (\`goal_id\`);`);
    this.addSql(`create index \`experiments_owner_id_index\` on \`experiments\` (\`owner_id\`);`);

    this.addSql(
      `create table \`runs\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`experiment_id\` integer not null, \`name\` text null, \`status\` text not null, \`author_id\` integer not null, \`params\` json not null, \`metrics\` json not null, \`dataset_uri\` text null, \`code_version\` text null, \`started_at\` datetime not null, \`finished_at\` datetime null, constraint \`runs_experiment_id_foreign\` foreign key(\`experiment_id\`) references \`experiments\`(\`id\`) on update cascade, constraint \`runs_author_id_foreign\` foreign key(\`author_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`runs_experiment_id_index\` on \`runs\` (\`experiment_id\`);`);
    this.addSql(`create index \`runs_author_id_index\` on \`runs\` (\`author_id\`);`);

    this.addSql(
      `create table \`model_versions\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`model_id\` integer not null, \`version\` integer not null, \`stage\` text not null, \`stage_changed_at\` datetime null, \`description\` text null, \`run_id\` integer null, \`artifact_uri\` text null, \`metrics\` json not null, \`card\` json null, \`created_by_id\` integer not null, \`updated_at\` datetime not null, constraint \`model_versions_model_id_foreign\` foreign key(\`model_id\`) references \`models\`(\`id\`) on update cascade, constraint \`model_versions_run_id_foreign\` foreign key(\`run_id\`) references \`runs\`(\`id\`) on delete set null on update cascade, constraint \`model_versions_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`model_versions_model_id_index\` on \`model_versions\` (\`model_id\`);`);
    this.addSql(`create index \`model_versions_run_id_index\` on \`model_versions\` (\`run_id\`);`);
    this.addSql(`create index \`model_versions_created_by_id_index\` on \`model_versions\` (\`created_by_id\`);`);
    this.addSql(`create index \`model_versions_stage_model_id_index\` on \`model_versions\` (\`stage\`, \`model_id\`);`);
    this.addSql(`create unique index \`model_versions_model_id_version_unique\` on \`model_versions\` (\`model_id\`, \`version\`);`);

    this.addSql(
      `create table \`promotion_requests\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`model_version_id\` integer not null, \`model_id\` integer not null, \`from_stage\` text not null, \`to_stage\` text not null, \`status\` text not null, \`justification\` text null, \`requested_by_id\` integer not null, \`required_roles\` json not null, \`decided_at\` datetime null, constraint \`promotion_requests_model_version_id_foreign\` foreign key(\`model_version_id\`) references \`model_versions\`(\`id\`) on update cascade, constraint \`promotion_requests_requested_by_id_foreign\` foreign key(\`requested_by_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`promotion_requests_model_version_id_index\` on \`promotion_requests\` (\`model_version_id\`);`);
    this.addSql(`create index \`promotion_requests_model_id_index\` on \`promotion_requests\` (\`model_id\`);`);
    this.addSql(`create index \`promotion_requests_requested_by_id_index\` on \`promotion_requests\` (\`requested_by_id\`);`);
    this.addSql(`create index \`promotion_requests_status_id_index\` on \`promotion_requests\` (\`status\`, \`id\`);`);
    this.addSql(`create unique index "promotion_requests_one_pending" on "promotion_requests" ("model_version_id") where "status" = 'PENDING';`);
    this.addSql(`create index \`promotion_requests_model_version_id_status_index\` on \`promotion_requests\` (\`model_version_id\`, \`status\`);`);

    this.addSql(
      `create table \`reviews\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`promotion_request_id\` integer not null, \`reviewer_id\` integer not null, \`role\` text not null, \`decision\` text not null, \`comment\` text null, \`origin\` text not null, constraint \`reviews_promotion_request_id_foreign\` foreign key(\`promotion_request_id\`) references \`promotion_requests\`(\`id\`) on update cascade, constraint \`reviews_reviewer_id_foreign\` foreign key(\`reviewer_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`reviews_promotion_request_id_index\` on \`reviews\` (\`promotion_request_id\`);`);
    this.addSql(`create index \`reviews_reviewer_id_index\` on \`reviews\` (\`reviewer_id\`);`);
    this.addSql(
      `create unique index \`reviews_promotion_request_id_reviewer_id_unique\` on \`reviews\` (\`promotion_request_id\`, \`reviewer_id\`);`,
    );

    this.addSql(
      `create table \`kpi_observations\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`kpi_id\` integer not null, \`value\` double not null, \`observed_at\` datetime not null, \`recorded_by_id\` integer not null, \`model_version_id\` integer null, constraint \`kpi_observations_kpi_id_foreign\` foreign key(\`kpi_id\`) references \`kpis\`(\`id\`) on update cascade, constraint \`kpi_observations_recorded_by_id_foreign\` foreign key(\`recorded_by_id\`) references \`users\`(\`id\`) on update cascade, constraint \`kpi_observations_model_version_id_foreign\` foreign key(\`model_version_id\`) references \`model_versions\`(\`id\`) on delete set null on update cascade);`,
    );
    this.addSql(`create index \`kpi_observations_kpi_id_index\` on \`kpi_observations\` (\`kpi_id\`);`);
    this.addSql(`create index \`kpi_observations_recorded_by_id_index\` on \`kpi_observations\` (\`recorded_by_id\`);`);
    this.addSql(`create index \`kpi_observations_model_version_id_index\` on \`kpi_observations\` (\`model_version_id\`);`);
    this.addSql(`create index \`kpi_observations_kpi_id_observed_at_id_index\` on \`kpi_observations\` (\`kpi_id\`, \`observed_at\`, \`id\`);`);

    this.addSql(
      `create table \`feedback\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`goal_id\` integer not null, \`model_version_id\` integer null, \`author_id\` integer not null, \`verdict\` text not null, \`comment\` text null, \`origin\` text not null, constraint \`feedback_goal_id_foreign\` foreign key(\`goal_id\`) references \`goals\`(\`id\`) on update cascade, constraint \`feedback_model_version_id_foreign\` foreign key(\`model_version_id\`) references \`model_versions\`(\`id\`) on delete set null on update cascade, constraint \`feedback_author_id_foreign\` foreign key(\`author_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`feedback_goal_id_index\` on \`feedback\` (\`goal_id\`);`);
    this.addSql(`create index \`feedback_model_version_id_index\` on \`feedback\` (\`model_version_id\`);`);
    this.addSql(`create index \`feedback_author_id_index\` on \`feedback\` (\`author_id\`);`);

    this.addSql(
      `create table \`drift_flags\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`model_version_id\` integer not null, \`model_id\` integer not null, \`raised_by_id\` integer not null, \`kind\` text not null, \`severity\` text not null, \`severity_rank\` integer not null, \`description\` text not null, \`metric\` text null, \`observed\` double null, \`expected\` double null, \`status\` text not null, \`resolution\` text null, \`origin\` text not null, \`acknowledged_at\` datetime null, \`resolved_at\` datetime null, constraint \`drift_flags_model_version_id_foreign\` foreign key(\`model_version_id\`) references \`model_versions\`(\`id\`) on update cascade, constraint \`drift_flags_raised_by_id_foreign\` foreign key(\`raised_by_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`drift_flags_model_version_id_index\` on \`drift_flags\` (\`model_version_id\`);`);
    this.addSql(`create index \`drift_flags_raised_by_id_index\` on \`drift_flags\` (\`raised_by_id\`);`);
    this.addSql(`create index \`drift_flags_status_severity_rank_id_index\` on \`drift_flags\` (\`status\`, \`severity_rank\`, \`id\`);`);
    this.addSql(`create index \`drift_flags_model_id_status_index\` on \`drift_flags\` (\`model_id\`, \`status\`);`);
    this.addSql(`create index \`drift_flags_model_version_id_status_index\` on \`drift_flags\` (\`model_version_id\`, \`status\`);`);

    this.addSql(
      `create table \`comments\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`subject_type\` text not null, \`subject_id\` integer not null, \`author_id\` integer not null, \`body\` text not null, \`origin\` text not null, constraint \`comments_author_id_foreign\` foreign key(\`author_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`comments_author_id_index\` on \`comments\` (\`author_id\`);`);
    this.addSql(`create index \`comments_subject_type_subject_id_id_index\` on \`comments\` (\`subject_type\`, \`subject_id\`, \`id\`);`);

    this.addSql(
      `create table \`api_tokens\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`user_id\` integer not null, \`token_hash\` text not null, \`label\` text null, \`revoked_at\` datetime null, constraint \`api_tokens_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`api_tokens_user_id_index\` on \`api_tokens\` (\`user_id\`);`);
    this.addSql(`create unique index \`api_tokens_token_hash_unique\` on \`api_tokens\` (\`token_hash\`);`);
  }
}
