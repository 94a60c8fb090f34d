import { Migration } from '@mikro-orm/migrations';

export class Migration20261129070327_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`webhooks\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`url\` text not null, \`secret\` text not null, \`event_types\` json not null, \`model_id\` integer null, \`active\` integer not null default true, \`created_by_id\` integer not null, constraint \`webhooks_model_id_foreign\` foreign key(\`model_id\`) references \`models\`(\`id\`) on delete set null on update cascade, constraint \`webhooks_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`webhooks_model_id_index\` on \`webhooks\` (\`model_id\`);`);
    this.addSql(`create index \`webhooks_created_by_id_index\` on \`webhooks\` (\`created_by_id\`);`);

    this.addSql(
      `create table \`webhook_deliveries\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`webhook_id\` integer not null, \`event_id\` integer not null, \`guid\` text not null, \`status\` text not null, \`attempts\` integer not null default 0, \`not_before\` datetime not null, \`response_status\` integer null, \`duration_ms\` integer null, \`response_body\` text null, \`last_error\` text null, \`delivered_at\` datetime null, constraint \`webhook_deliveries_webhook_id_foreign\` foreign key(\`webhook_id\`) references \`webhooks\`(\`id\`) on update cascade, constraint \`webhook_deliveries_event_id_foreign\` foreign key(\`event_id\`) references \`lifecycle_events\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`webhook_deliveries_webhook_id_index\` on \`webhook_deliveries\` (\`webhook_id\`);`);
    this.addSql(`create index \`webhook_deliveries_event_id_index\` on \`webhook_deliveries\` (\`event_id\`);`);
    this.addSql(`create unique index \`webhook_deliveries_guid_unique\` on \`webhook_deliveries\` (\`guid\`);`);
    this.addSql(`create index \`webhook_deliveries_status_webhook_id_id_index\` on \`webhook_deliveries\` (\`status\`, \`webhook_id\`, \`id\`);`);
  }
}
