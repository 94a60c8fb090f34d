import { Migration } from '@mikro-orm/migrations';

export class Migration20261129071728_service_accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`users\` add column \`kind\` text not null default 'PERSON';`);

    this.addSql(`alter table \`api_tokens\` add column \`expires_at\` datetime null;`);
  }
}
