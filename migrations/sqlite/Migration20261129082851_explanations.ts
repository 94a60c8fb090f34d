import { Migration } from '@mikro-orm/migrations';

export class Migration20261129082851_explanations extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`prediction_explanations\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`model_version_id\` integer not null, \`subject_key\` text not null, \`prediction\` text not null, \`score\` double null, \`attributions\` json not null, \`recorded_by_id\` integer not null, \`updated_at\` datetime not null, constraint \`prediction_explanations_model_version_id_foreign\` foreign key(\`model_version_id\`) references \`model_versions\`(\`id\`) on update cascade, constraint \`prediction_explanations_recorded_by_id_foreign\` foreign key(\`recorded_by_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`prediction_explanations_model_version_id_index\` on \`prediction_explanations\` (\`model_version_id\`);`);
    this.addSql(`create index \`prediction_explanations_recorded_by_id_index\` on \`prediction_explanations\` (\`recorded_by_id\`);`);
    this.addSql(
      `create unique index \`prediction_explanations_model_version_id_subject_key_unique\` on \`prediction_explanations\` (\`model_version_id\`, \`subject_key\`);`,
    );

    this.addSql(`alter table \`feedback\` add column \`kind\` text not null default 'GENERAL';`);
    this.addSql(
      `alter table \`feedback\` add column \`explanation_id\` integer null constraint \`feedback_explanation_id_foreign\` references \`prediction_explanations\` (\`id\`) on update cascade on delete set null;`,
    );
    this.addSql(`create index \`feedback_explanation_id_index\` on \`feedback\` (\`explanation_id\`);`);
  }
}
