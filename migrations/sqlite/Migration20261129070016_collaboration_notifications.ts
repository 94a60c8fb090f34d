import { Migration } from '@mikro-orm/migrations';

export class Migration20261129070016_collaboration_notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`notifications\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`recipient_id\` integer not null, \`event_id\` integer not null, \`reason\` text not null, \`read_at\` datetime null, constraint \`notifications_recipient_id_foreign\` foreign key(\`recipient_id\`) references \`users\`(\`id\`) on update cascade, constraint \`notifications_event_id_foreign\` foreign key(\`event_id\`) references \`lifecycle_events\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`notifications_recipient_id_index\` on \`notifications\` (\`recipient_id\`);`);
    this.addSql(`create index \`notifications_event_id_index\` on \`notifications\` (\`event_id\`);`);
    this.addSql(`create index \`notifications_recipient_id_read_at_index\` on \`notifications\` (\`recipient_id\`, \`read_at\`);`);
    this.addSql(`create unique index \`notifications_recipient_id_event_id_unique\` on \`notifications\` (\`recipient_id\`, \`event_id\`);`);

    // Existing users get their email's local part as handle, with their id added where that is taken.
    this.addSql(`alter table \`users\` add column \`handle\` text null;`);
    this.addSql(`update \`users\` set \`handle\` = lower(replace(substr(\`email\`, 1, instr(\`email\`, '@') - 1), '+', '-'));`);
    this.addSql(
      `update \`users\` set \`handle\` = \`handle\` || \`id\` where \`id\` not in (select min(\`id\`) from \`users\` group by \`handle\`);`,
    );
    this.addSql(`create unique index \`users_handle_unique\` on \`users\` (\`handle\`);`);

    this.addSql(`alter table \`comments\` add column \`is_question\` integer not null default false;`);
    this.addSql(`alter table \`comments\` add column \`answered_at\` datetime null;`);
    this.addSql(`alter table \`comments\` add column \`mentions\` json not null default '[]';`);
  }
}
