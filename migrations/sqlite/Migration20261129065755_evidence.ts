import { Migration } from '@mikro-orm/migrations';

export class Migration20261129065755_evidence extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`event_chain_head\` (\`id\` integer not null primary key autoincrement, \`last_event_id\` integer not null, \`hash\` text null, \`starts_after_id\` integer not null);`,
    );

    this.addSql(`alter table \`lifecycle_events\` add column \`prev_hash\` text null;`);
    this.addSql(`alter table \`lifecycle_events\` add column \`hash\` text null;`);

    this.addSql(`alter table \`model_versions\` add column \`artifact_digest\` text null;`);
    this.addSql(`alter table \`model_versions\` add column \`evidence_frozen_at\` datetime null;`);

    this.addSql(`alter table \`reviews\` add column \`evidence_digest\` text null;`);

    this.addSql(`alter table \`kpi_observations\` add column \`source_key\` text null;`);
    this.addSql(`create unique index \`kpi_observations_kpi_id_source_key_unique\` on \`kpi_observations\` (\`kpi_id\`, \`source_key\`);`);

    // The chain starts after the events already written: they predate it and are not covered.
    this.addSql(
      `insert into \`event_chain_head\` (\`id\`, \`last_event_id\`, \`hash\`, \`starts_after_id\`) select 1, coalesce(max(\`id\`), 0), null, coalesce(max(\`id\`), 0) from \`lifecycle_events\`;`,
    );
    // Versions that were requested or moved before freezing existed are frozen from then on.
    this.addSql(
      `update \`model_versions\` set \`evidence_frozen_at\` = coalesce(\`stage_changed_at\`, \`created_at\`) where \`stage\` <> 'NONE' or \`id\` in (select \`model_version_id\` from \`promotion_requests\`);`,
    );
  }
}
