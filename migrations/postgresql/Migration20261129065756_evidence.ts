import { Migration } from '@mikro-orm/migrations';

export class Migration20261129065756_evidence extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "event_chain_head" ("id" serial primary key, "last_event_id" int not null, "hash" varchar(64) null, "starts_after_id" int not null);`,
    );

    this.addSql(`alter table "lifecycle_events" add column "prev_hash" varchar(64) null, add column "hash" varchar(64) null;`);

    this.addSql(`alter table "model_versions" add column "artifact_digest" varchar(64) null, add column "evidence_frozen_at" timestamptz null;`);

    this.addSql(`alter table "reviews" add column "evidence_digest" varchar(64) null;`);

    this.addSql(`alter table "kpi_observations" add column "source_key" varchar(200) null;`);
    this.addSql(`alter table "kpi_observations" add constraint "kpi_observations_kpi_id_source_key_unique" unique ("kpi_id", "source_key");`);

    // The chain starts after the events already written: they predate it and are not covered.
    this.addSql(
      `insert into "event_chain_head" ("id", "last_event_id", "hash", "starts_after_id") select 1, coalesce(max("id"), 0), null, coalesce(max("id"), 0) from "lifecycle_events";`,
    );
    // Versions that were requested or moved before freezing existed are frozen from then on.
    this.addSql(
      `update "model_versions" set "evidence_frozen_at" = coalesce("stage_changed_at", "created_at") where "stage" <> 'NONE' or "id" in (select "model_version_id" from "promotion_requests");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "event_chain_head" cascade;`);

    this.addSql(`alter table "kpi_observations" drop constraint "kpi_observations_kpi_id_source_key_unique";`);
    this.addSql(`alter table "kpi_observations" drop column "source_key";`);

    this.addSql(`alter table "lifecycle_events" drop column "prev_hash", drop column "hash";`);

    this.addSql(`alter table "model_versions" drop column "artifact_digest", drop column "evidence_frozen_at";`);

    this.addSql(`alter table "reviews" drop column "evidence_digest";`);
  }
}
