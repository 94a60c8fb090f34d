import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Database } from './orm';

/** The part of better-sqlite3 used here (it ships no types of its own). */
interface SqliteConnection {
  pragma(sql: string, options: { simple: true }): unknown;
  prepare(sql: string): { get(): unknown };
  exec(sql: string): void;
  close(): void;
}
type SqliteOpen = new (file: string, options: { readonly: boolean; fileMustExist: boolean }) => SqliteConnection;
const Sqlite: SqliteOpen = require('better-sqlite3');

/** Why a backup or restore was refused (the CLI exits 1 with the message). */
export class BackupError extends Error {}

/**
 * Writes a consistent copy of a SQLite hub to `file` with `VACUUM INTO`: one read transaction, so
 * writers (a hub serving on the same file, in WAL mode) go on meanwhile and the copy holds exactly
 * what was committed when it began. Refuses an existing `file` and PostgreSQL (pg_dump's job).
 */
export async function backupSqlite(db: Database, file: string): Promise<{ bytes: number }> {
  if (db.dialect !== 'sqlite') throw new BackupError('hub backup copies SQLite databases; for PostgreSQL use pg_dump (README "Backups")');
  if (existsSync(file)) throw new BackupError(`${file} already exists; choose a new file`);
  await db.knex.raw('vacuum into ?', [file]);
  return { bytes: statSync(file).size };
}

/** Opens a would-be backup read-only and checks it is an intact hub database; returns its migration count. */
function checkBackup(file: string): number {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist`);
  let conn: SqliteConnection | undefined;
  try {
    conn = new Sqlite(file, { readonly: true, fileMustExist: true });
    const integrity = conn.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new BackupError(`${file} is damaged: ${String(integrity)}`);
    return (conn.prepare('select count(*) as n from mikro_orm_migrations').get() as { n: number }).n;
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${file} is not a hub backup (${(err as Error).message})`);
  } finally {
    conn?.close();
  }
}

/**
 * Puts the backup `file` in place as the SQLite database at `target`, after checking it. Refuses to
 * replace an existing database unless `force` (stop every hub on it first). The copy is written
 * beside the target and renamed over it, and the old database's WAL files go with it, so that a
 * crash midway leaves either the old database or the restored one.
 */
export function restoreSqlite(file: string, target: string, force: boolean): { migrations: number } {
  const migrations = checkBackup(file);
  if (existsSync(target) && !force) throw new BackupError(`${target} already holds a database; stop the hubs on it and add --force to replace it`);
  const staging = join(dirname(target), `.restore-${process.pid}.sqlite`);
  const copy = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    copy.exec(`vacuum into '${staging.replace(/'/g, "''")}'`);
  } finally {
    copy.close();
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(staging, target);
  return { migrations };
}
