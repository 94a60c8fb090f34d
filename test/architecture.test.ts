/**
 * The layer rules that a dependency checker cannot see (it reads imports, not strings): no adapter
 * builds SQL or names a table or column. `npm run check:layers` (dependency-cruiser) checks the
 * imports; together they keep docs/architecture.md true.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initOrm, type Database } from '../src/db/orm';

const ROOT = join(__dirname, '..');
/** Everything that is not src/domain or src/db: the adapters, composition roots and the dashboard. */
const ADAPTER_DIRS = ['src/graphql', 'src/server', 'src/events', 'src/cli', 'src/seed', 'src/dashboard', 'src/mlflow', 'bots'];
const ADAPTER_FILES = ['src/main.ts', 'src/config.ts', 'src/logger.ts'];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return name === 'generated' ? [] : sources(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

const adapterSources = [...ADAPTER_DIRS.flatMap(sources), ...ADAPTER_FILES].map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

/** Query building: Knex's builder methods and its usual parameter names. */
const QUERY_BUILDING =
  /\bknex\b|\bqb\b|\.(where|whereIn|whereNot|whereNull|whereRaw|whereExists|orderBy|groupBy|leftJoin|innerJoin)\(|\bem\.(find|findOne|create|flush|nativeUpdate|nativeDelete|execute)\b/;

describe('adapters', () => {
  let db: Database;
  beforeAll(async () => {
    db = await initOrm({ target: { dialect: 'sqlite', path: ':memory:' } });
  });
  afterAll(() => db.close());

  it('are all read', () => {
    expect(adapterSources.length).toBeGreaterThan(30);
  });

  it('build no SQL and use no EntityManager', () => {
    const offending = adapterSources.filter((s) => QUERY_BUILDING.test(s.text)).map((s) => `${s.path}: ${QUERY_BUILDING.exec(s.text)![0]}`);
    expect(offending).toEqual([]);
  });

  it('name no table and no column', () => {
    const names = new Set<string>();
    for (const meta of Object.values(db.orm.getMetadata().getAll())) {
      names.add(meta.tableName);
      for (const prop of meta.props) for (const field of prop.fieldNames ?? []) names.add(field);
    }
    // Single words (`name`, `status`) are also plain English and Slack's own field names: only compound names are unmistakable.
    const compound = [...names].filter((n) => n.includes('_'));
    expect(compound.length).toBeGreaterThan(20);
    const offending = adapterSources.flatMap((s) =>
      compound.filter((n) => new RegExp(`['"\`]${n}['"\`]`).test(s.text)).map((n) => `${relative(ROOT, join(ROOT, s.path))}: ${n}`),
    );
    expect(offending).toEqual([]);
  });
});
