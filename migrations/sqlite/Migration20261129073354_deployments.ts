import { Migration } from '@mikro-orm/migrations';

export class Migration20261129073354_deployments extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`deployments\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`model_version_id\` integer not null, \`environment\` text not null, \`status\` text not null, \`url\` text null, \`detail\` text null, \`recorded_by_id\` integer not null, constraint \`deployments_model_version_id_foreign\` foreign key(\`model_version_id\`) references \`model_versions\`(\`id\`) on update cascade, constraint \`deployments_recorded_by_id_foreign\` foreign key(\`recorded_by_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`deployments_model_version_id_index\` on \`deployments\` (\`model_version_id\`);`);
    this.addSql(`create index \`deployments_recorded_by_id_index\` on \`deployments\` (\`recorded_by_id\`);`);
  }
}
