import { Migration } from '@mikro-orm/migrations';

export class Migration20261126035149_slack extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`slack_inbound_events\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`event_id\` text not null);`,
    );
    this.addSql(`create unique index \`slack_inbound_events_event_id_unique\` on \`slack_inbound_events\` (\`event_id\`);`);

    this.addSql(
      `create table \`slack_threads\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`channel_id\` text not null, \`thread_key\` text not null, \`ts\` text not null);`,
    );
    this.addSql(`create index \`slack_threads_channel_id_ts_index\` on \`slack_threads\` (\`channel_id\`, \`ts\`);`);
    this.addSql(`create unique index \`slack_threads_channel_id_thread_key_unique\` on \`slack_threads\` (\`channel_id\`, \`thread_key\`);`);

    this.addSql(
      `create table \`slack_follows\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`channel_id\` text not null, \`subject_type\` text not null, \`subject_id\` integer not null, \`created_by_id\` integer not null, constraint \`slack_follows_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`slack_follows_created_by_id_index\` on \`slack_follows\` (\`created_by_id\`);`);
    this.addSql(`create index \`slack_follows_subject_type_subject_id_index\` on \`slack_follows\` (\`subject_type\`, \`subject_id\`);`);
    this.addSql(
      `create unique index \`slack_follows_channel_id_subject_type_subject_id_unique\` on \`slack_follows\` (\`channel_id\`, \`subject_type\`, \`subject_id\`);`,
    );

    this.addSql(
      `create table \`slack_deliveries\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`channel_id\` text not null, \`event_id\` integer not null, \`kind\` text not null, \`thread_key\` text null, \`status\` text not null, \`attempts\` integer not null default 0, \`not_before\` datetime not null, \`last_error\` text null, \`sent_at\` datetime null, constraint \`slack_deliveries_event_id_foreign\` foreign key(\`event_id\`) references \`lifecycle_events\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`slack_deliveries_event_id_index\` on \`slack_deliveries\` (\`event_id\`);`);
    this.addSql(`create index \`slack_deliveries_status_channel_id_id_index\` on \`slack_deliveries\` (\`status\`, \`channel_id\`, \`id\`);`);
    this.addSql(
      `create unique index \`slack_deliveries_channel_id_event_id_kind_unique\` on \`slack_deliveries\` (\`channel_id\`, \`event_id\`, \`kind\`);`,
    );
  }
}
