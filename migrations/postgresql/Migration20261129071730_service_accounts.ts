import { Migration } from '@mikro-orm/migrations';

export class Migration20261129071730_service_accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "kind" varchar(16) not null default 'PERSON';`);

    this.addSql(`alter table "api_tokens" add column "expires_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_tokens" drop column "expires_at";`);

    this.addSql(`alter table "users" drop column "kind";`);
  }
}
