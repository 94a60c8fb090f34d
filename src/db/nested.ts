import type { Knex } from '@mikro-orm/knex';
import type { ChildList, EntityClass, Filter, ListQuery, Order, Reader, Where } from './reader';

/**
 * One value of a row in a nested read: a column as stored, the one row of another entity that
 * matches it (`match`: pairs of the other entity's property and this row's), the first `limit`
 * children of a to-many relation in its order, how many children it has, or several of these
 * as one JSON array (a connection's rows and count).
 */
export type NestedValue =
  | { kind: 'column'; prop: string }
  | {
      kind: 'one';
      entity: EntityClass;
      match: readonly (readonly [string, string])[];
      filter?: Filter<object>;
      order?: Order;
      row: NestedRow;
    }
  | { kind: 'children'; list: ChildList<object>; limit: number; row: NestedRow }
  | { kind: 'count'; list: ChildList<object> }
  | { kind: 'array'; values: readonly NestedValue[] };

/** A row of `entity` read as a JSON array of `values`, in their order. */
export interface NestedRow {
  entity: EntityClass;
  values: readonly NestedValue[];
}

/** What a nested read answers at its top: the first `limit` rows of a list query, how many rows it has, or several of these as one array. */
export type NestedRoot =
  | { kind: 'rows'; query: ListQuery<object>; limit: number; row: NestedRow }
  | { kind: 'count'; query: ListQuery<object> }
  | { kind: 'array'; roots: readonly NestedRoot[] };

/** One statement under construction: its parameters in order and a counter for table aliases. */
class Statement {
  readonly bindings: unknown[] = [];
  private aliases = 0;
  private readonly pg: boolean;

  constructor(private readonly reader: Reader) {
    this.pg = reader.dialect === 'postgresql';
  }

  get arrayFunction(): string {
    return this.pg ? 'json_build_array' : 'json_array';
  }

  alias(): string {
    this.aliases += 1;
    return `n${this.aliases}`;
  }

  /** A query builder's SQL, its parameters appended to the statement's. */
  private sql(qb: Knex.QueryBuilder): string {
    const { sql, bindings } = qb.toSQL();
    this.bindings.push(...bindings);
    return sql;
  }

  /** A JSON value from a scalar subquery (SQLite passes it on as JSON only through `json()`). */
  private json(subquery: string): string {
    return this.pg ? `(${subquery})` : `json((${subquery}))`;
  }

  private ordered(alias: string, entity: EntityClass, order: Order): string {
    return order.props.map((p) => `"${alias}"."${this.reader.column(entity, p)}" ${order.direction}`).join(', ');
  }

  /** `rows` (a query builder over `entity`) as a JSON array of rows in `order`, read as `row`. */
  private array(rows: Knex.QueryBuilder, entity: EntityClass, order: Order, row: NestedRow): string {
    const alias = this.alias();
    const element = this.row(row, alias);
    const inner = this.sql(rows);
    const aggregate = this.pg
      ? `coalesce(json_agg(${element} order by ${this.ordered(alias, entity, order)}), '[]'::json)`
      : `json_group_array(${element} order by ${this.ordered(alias, entity, order)})`;
    return this.json(`select ${aggregate} from (${inner}) as "${alias}"`);
  }

  /** The row of the table aliased `alias` as a JSON array of `row`'s values. */
  row(row: NestedRow, alias: string): string {
    return this.value({ kind: 'array', values: row.values }, row.entity, alias);
  }

  private value(value: NestedValue, entity: EntityClass, alias: string): string {
    const outer = (prop: string) => `"${alias}"."${this.reader.column(entity, prop)}"`;
    switch (value.kind) {
      case 'column':
        return outer(value.prop);
      case 'one': {
        const qb = this.reader.rowsQuery(value.entity, value.filter, value.order).limit(1);
        for (const [theirs, ours] of value.match) qb.whereRaw(`?? = ${outer(ours)}`, [this.reader.column(value.entity, theirs)]);
        const inner = this.alias();
        const element = this.row(value.row, inner);
        return this.json(`select ${element} from (${this.sql(qb)}) as "${inner}"`);
      }
      case 'children': {
        const { list } = value;
        return this.array(this.reader.childRowsQuery(list, outer('id')).limit(value.limit), list.entity, list.order, value.row);
      }
      case 'count': {
        const { list } = value;
        const qb = this.countQuery(list.entity, list.filter);
        qb.whereRaw(`?? = ${outer('id')}`, [this.reader.column(list.entity, list.parentKey)]);
        return `(${this.sql(qb)})`;
      }
      case 'array':
        return `${this.arrayFunction}(${value.values.map((v) => this.value(v, entity, alias)).join(', ')})`;
    }
  }

  /** How many rows of `entity` pass `filter` (a filter or a condition), as a query builder (a child count adds its parent condition). */
  private countQuery(entity: EntityClass, filter: Where<object> | undefined): Knex.QueryBuilder {
    return this.reader.rowsQuery(entity, filter, undefined).clearSelect().count({ n: '*' });
  }

  /** A leaf root (rows or a count) as one column's value: a JSON array of rows, or a number. */
  leaf(root: Exclude<NestedRoot, { kind: 'array' }>): string {
    const { entity, where, order } = root.query;
    if (root.kind === 'count') {
      const count = this.sql(this.countQuery(entity, where));
      // As a JSON number on PostgreSQL too (count(*) alone comes back as a bigint, a string in pg).
      return this.pg ? `to_json((${count}))` : `(${count})`;
    }
    return this.array(this.reader.rowsQuery(entity, where, order).limit(root.limit), entity, order, root.row);
  }
}

/** The roots' leaves (rows and counts), depth first: one column each. */
function leavesOf(roots: readonly NestedRoot[]): Exclude<NestedRoot, { kind: 'array' }>[] {
  return roots.flatMap((root) => (root.kind === 'array' ? leavesOf(root.roots) : [root]));
}

/** The roots' answers rebuilt from their leaves' values, taken in `leavesOf`'s order. */
function assemble(roots: readonly NestedRoot[], next: () => unknown): unknown[] {
  return roots.map((root) => (root.kind === 'array' ? assemble(root.roots, next) : next()));
}

/**
 * Reads several roots and everything nested under them in one statement: each row a JSON array of
 * its values, each to-many relation a JSON array of rows (PostgreSQL's `json_agg`, SQLite's
 * `json_group_array`), in the same filters and orders as the relations' other reads. Each root's
 * rows or count is a column of its own: wrapping the whole answer in one more JSON array copied
 * it once more per level (a quarter of PostgreSQL's time for the dashboard's question). Columns
 * come back as the database renders them in JSON; `Reader.decoder` turns each into what the read
 * path would have given. The answer has one entry per root. On SQLite in a file the statement
 * runs in the read worker, off the event loop.
 */
export async function readNested(reader: Reader, roots: readonly NestedRoot[]): Promise<unknown[]> {
  const statement = new Statement(reader);
  const columns = leavesOf(roots).map((leaf, i) => `${statement.leaf(leaf)} as "j${i}"`);
  // A selection with nothing to read (only `__typename`s) has no column and needs no statement.
  const values = columns.length ? await readRow(reader, `select ${columns.join(', ')}`, statement.bindings, columns.length) : [];
  let at = 0;
  // SQLite's JSON arrays come back as text, its counts as numbers; pg parses json columns itself.
  return assemble(roots, () => {
    const value = values[at++];
    return typeof value === 'string' ? JSON.parse(value) : value;
  });
}

/** The one row of `sql`, whose `count` columns are named j0, j1, …, as an array; in the read worker where there is one. */
async function readRow(reader: Reader, sql: string, bindings: readonly unknown[], count: number): Promise<unknown[]> {
  const raw = reader.knex.raw(sql, bindings as Knex.RawBinding[]);
  if (reader.readWorker) {
    const native = raw.toSQL().toNative();
    return (await reader.readWorker.row(native.sql, native.bindings)) ?? [];
  }
  const result: unknown = await raw;
  const row = ((reader.dialect === 'postgresql' ? (result as { rows: unknown[] }).rows : result) as Record<string, unknown>[])[0];
  return Array.from({ length: count }, (_, i) => row[`j${i}`]);
}
