import { Migration } from '@mikro-orm/migrations';

export class Migration20261129083059_monitors extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`monitors\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null, \`goal_id\` integer not null, \`name\` text not null, \`source\` text not null, \`kpi_id\` integer null, \`model_id\` integer null, \`metric_key\` text null, \`condition\` text not null, \`threshold\` double not null, \`window\` integer not null, \`severity\` text not null, \`auto_resolve_after\` integer null, \`paused\` integer not null default false, \`created_by_id\` integer not null, \`breach_streak\` integer not null default 0, \`healthy_streak\` integer not null default 0, constraint \`monitors_goal_id_foreign\` foreign key(\`goal_id\`) references \`goals\`(\`id\`) on update cascade, constraint \`monitors_kpi_id_foreign\` foreign key(\`kpi_id\`) references \`kpis\`(\`id\`) on delete set null on update cascade, constraint \`monitors_model_id_foreign\` foreign key(\`model_id\`) references \`models\`(\`id\`) on delete set null on update cascade, constraint \`monitors_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`users\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`monitors_goal_id_index\` on \`monitors\` (\`goal_id\`);`);
    this.addSql(`create index \`monitors_kpi_id_index\` on \`monitors\` (\`kpi_id\`);`);
    this.addSql(`create index \`monitors_model_id_index\` on \`monitors\` (\`model_id\`);`);
    this.addSql(`create index \`monitors_created_by_id_index\` on \`monitors\` (\`created_by_id\`);`);

    this.addSql(
      `alter table \`drift_flags\` add column \`monitor_id\` integer null constraint \`drift_flags_monitor_id_foreign\` references \`monitors\` (\`id\`) on update cascade on delete set null;`,
    );
    this.addSql(`alter table \`drift_flags\` add column \`occurrences\` integer not null default 1;`);
    this.addSql(`alter table \`drift_flags\` add column \`last_seen_at\` datetime null;`);
    this.addSql(`create index \`drift_flags_monitor_id_index\` on \`drift_flags\` (\`monitor_id\`);`);
  }
}
