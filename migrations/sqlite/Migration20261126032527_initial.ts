import { Migration } from '@mikro-orm/migrations';

export class Migration20261126032527_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`users\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`name\` text not null, \`email\` text not null, \`roles\` json not null, \`slack_user_id\` text null, \`updated_at\` datetime not null);`);
    this.addSql(`create unique index \`users_email_unique\` on \`users\` (\`email\`);`);
    this.addSql(`create unique index \`users_slack_user_id_unique\` on \`users\` (\`slack_user_id\`);`);

    this.addSql(`create table \`goals\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`title\` text not null, \`business_question\` text not null, \`description\` text null, \`status\` text check (\`status\` in ('DRAFT', 'ACTIVE', 'ACHIEVED', 'RETIRED')) not null default 'ACTIVE', \`owner_id\` integer not null, \`updated_at\` datetime not null, constraint \`goals_owner_id_foreign\` foreign key(\`owner_id\`) references \`users\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`goals_status_index\` on \`goals\` (\`status\`);`);
    this.addSql(`create index \`goals_owner_id_index\` on \`goals\` (\`owner_id\`);`);

    this.addSql(`create table \`models\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`name\` text not null, \`description\` text null, \`goal_id\` integer not null, \`owner_id\` integer not null, \`version_count\` integer not null default 0, constraint \`models_goal_id_foreign\` foreign key(\`goal_id\`) references \`goals\`(\`id\`) on update cascade, constraint \`models_owner_id_foreign\` foreign key(\`owner_id\`) references \`users\`(\`id\`) on update cascade);`);
    this.addSql(`create unique index \`models_name_unique\` on \`models\` (\`name\`);`);
    this.addSql(`create index \`models_goal_id_index\` on \`models\` (\`goal_id\`);`);
    this.addSql(`create index \`models_owner_id_index\` on \`models\` (\`owner_id\`);`);

    this.addSql(`create table \`kpis\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`goal_id\` integer not null, \`name\` text not null, \`description\` text null, \`unit\` text null, \`direction\` text check (\`direction\` in ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER')) not null, \`baseline\` double null, \`target\` double null, \`current\` double null, \`current_observed_at\` datetime null, constraint \`kpis_goal_id_foreign\` foreign key(\`goal_id\`) references \`goals\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`kpis_goal_id_index\` on \`kpis\` (\`goal_id\`);`);

    this.addSql(`create table \`experiments\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`name\` text not null, \`hypothesis\` text null, \`goal_id\` integer not null, \`owner_id\` integer not null, constraint \`experiments_goal_id_foreign\` foreign key(\`goal_id\`) references \`goals\`(\`id\`) on update cascade, constraint \`experiments_owner_id_foreign\` foreign key(\`owner_id\`) references \`users\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`experiments_goal_id_index\` on \`experiments\` (\`goal_id\`);`);
    this.addSql(`create index \`experiments_owner_id_index\` on \`experiments\` (\`owner_id\`);`);

    this.addSql(`create table \`runs\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`experiment_id\` integer not null, \`name\` text null, \`status\` text check (\`status\` in ('RUNNING', 'FINISHED', 'FAILED')) not null default 'RUNNING', \`author_id\` integer not null, \`params\` json not null, \`metrics\` json not null, \`dataset_uri\` text null, \`code_version\` text null, \`started_at\` datetime not null, \`finished_at\` datetime null, constraint \`runs_experiment_id_foreign\` foreign key(\`experiment_id\`) references \`experiments\`(\`id\`) on update cascade, constraint \`runs_author_id_foreign\` foreign key(\`author_id\`) references \`users\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`runs_experiment_id_index\` on \`runs\` (\`experiment_id\`);`);
    this.addSql(`create index \`runs_author_id_index\` on \`runs\` (\`author_id\`);`);

    this.addSql(`create table \`model_versions\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`model_id\` integer not null, \`version\` integer not null, \`stage\` text check (\`stage\` in ('NONE', 'STAGING', 'PRODUCTION', 'ARCHIVED')) not null default 'NONE', \`stage_changed_at\` datetime null, \`description\` text null, \`run_id\` integer null, \`artifact_uri\` text null, \`metrics\` json not null, \`card\` json null, \`created_by_id\` integer not null, \`updated_at\` datetime not null, constraint \`model_versions_model_id_foreign\` foreign key(\`model_id\`) references \`models\`(\`id\`) on update cascade, constraint \`model_versions_run_id_foreign\` foreign key(\`run_id\`) references \`runs\`(\`id\`) on delete set null on update cascade, constraint \`model_versions_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`users\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`model_versions_model_id_index\` on \`model_versions\` (\`model_id\`);`);
    this.addSql(`create index \`model_versions_run_id_index\` on \`model_versions\` (\`run_id\`);`);
    this.addSql(`create index \`model_versions_created_by_id_index\` on \`model_versions\` (\`created_by_id\`);`);
    this.addSql(`create index \`model_versions_stage_model_id_index\` on \`model_versions\` (\`stage\`, \`model_id\`);`);
    this.addSql(`create unique index \`model_versions_model_id_version_unique\` on \`model_versions\` (\`model_id\`, \`version\`);`);

    this.addSql(`create table \`kpi_observations\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`kpi_id\` integer not null, \`value\` double not null, \`observed_at\` datetime not null, \`recorded_by_id\` integer not null, \`model_version_id\` integer null, constraint \`kpi_observations_kpi_id_foreign\` foreign key(\`kpi_id\`) references \`kpis\`(\`id\`) on update cascade, constraint \`kpi_observations_recorded_by_id_foreign\` foreign key(\`recorded_by_id\`) references \`users\`(\`id\`) on update cascade, constraint \`kpi_observations_model_version_id_foreign\` foreign key(\`model_version_id\`) references \`model_versions\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create index \`kpi_observations_kpi_id_index\` on \`kpi_observations\` (\`kpi_id\`);`);
    this.addSql(`create index \`kpi_observations_recorded_by_id_index\` on \`kpi_observations\` (\`recorded_by_id\`);`);
    this.addSql(`create index \`kpi_observations_model_version_id_index\` on \`kpi_observations\` (\`model_version_id\`);`);
    this.addSql(`create index \`kpi_observations_kpi_id_observed_at_id_index\` on \`kpi_observations\` (\`kpi_id\`, \`observed_at\`, \`id\`);`);

    this.addSql(`create table \`comments\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`subject_type\` text not null, \`subject_id\` integer not null, \`author_id\` integer not null, \`body\` text not null, \`origin\` text check (\`origin\` in ('API', 'SLACK', 'MONITOR')) not null default 'API', constraint \`comments_author_id_foreign\` foreign key(\`author_id\`) references \`users\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`comments_author_id_index\` on \`comments\` (\`author_id\`);`);
    this.addSql(`create index \`comments_subject_type_subject_id_id_index\` on \`comments\` (\`subject_type\`, \`subject_id\`, \`id\`);`);

    this.addSql(`create table \`api_tokens\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`user_id\` integer not null, \`token_hash\` text not null, \`label\` text null, \`revoked_at\` datetime null, constraint \`api_tokens_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`api_tokens_user_id_index\` on \`api_tokens\` (\`user_id\`);`);
    this.addSql(`create unique index \`api_tokens_token_hash_unique\` on \`api_tokens\` (\`token_hash\`);`);
  }

}
