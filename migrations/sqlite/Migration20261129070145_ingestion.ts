import { Migration } from '@mikro-orm/migrations';

export class Migration20261129070145_ingestion extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`metric_points\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`run_id\` integer not null, \`key\` text not null, \`value\` double not null, \`step\` integer not null, \`timestamp\` datetime not null, constraint \`metric_points_run_id_foreign\` foreign key(\`run_id\`) references \`runs\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`metric_points_run_id_index\` on \`metric_points\` (\`run_id\`);`);
    this.addSql(`create index \`metric_points_run_id_key_step_index\` on \`metric_points\` (\`run_id\`, \`key\`, \`step\`);`);

    this.addSql(`alter table \`runs\` add column \`external_id\` text null;`);
    this.addSql(`alter table \`runs\` add column \`tags\` json not null default '[]';`);
    this.addSql(`create unique index \`runs_experiment_id_external_id_unique\` on \`runs\` (\`experiment_id\`, \`external_id\`);`);

    this.addSql(`alter table \`model_versions\` add column \`external_id\` text null;`);
    this.addSql(`alter table \`model_versions\` add column \`tags\` json not null default '[]';`);
    this.addSql(`create unique index \`model_versions_model_id_external_id_unique\` on \`model_versions\` (\`model_id\`, \`external_id\`);`);

    // The metrics runs already have become the first point of each key's history.
    this.addSql(
      `insert into \`metric_points\` (\`created_at\`, \`run_id\`, \`key\`, \`value\`, \`step\`, \`timestamp\`) select r.\`started_at\`, r.\`id\`, json_extract(m.value, '$.key'), json_extract(m.value, '$.value'), 0, r.\`started_at\` from \`runs\` r, json_each(r.\`metrics\`) m order by r.\`id\`, m.key;`,
    );
  }
}
