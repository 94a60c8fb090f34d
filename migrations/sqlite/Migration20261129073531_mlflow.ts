import { Migration } from '@mikro-orm/migrations';

export class Migration20261129073531_mlflow extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`mlflow_decisions\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`event_id\` integer not null, \`registered_model\` text not null, \`version\` text not null, \`stage\` text not null, \`promotion_request_id\` text not null, \`status\` text not null, \`attempts\` integer not null default 0, \`not_before\` datetime not null, \`last_error\` text null, \`sent_at\` datetime null, constraint \`mlflow_decisions_event_id_foreign\` foreign key(\`event_id\`) references \`lifecycle_events\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`mlflow_decisions_event_id_index\` on \`mlflow_decisions\` (\`event_id\`);`);
    this.addSql(`create unique index \`mlflow_decisions_event_id_unique\` on \`mlflow_decisions\` (\`event_id\`);`);
    this.addSql(`create index \`mlflow_decisions_status_id_index\` on \`mlflow_decisions\` (\`status\`, \`id\`);`);
  }
}
