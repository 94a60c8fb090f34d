import type { EntityMetadata, MetadataStorage, Reference } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import { badInput } from '../domain/errors';
import type { Dialect } from './orm';
import type { ReadWorker } from './read-worker';

/** An entity class, as the read path takes it. */
export type EntityClass<E extends object = object> = abstract new (...args: never[]) => E;

type RefKeys<E> = { [K in keyof E]-?: NonNullable<E[K]> extends Reference<object> ? K : never }[keyof E] & string;
type ScalarKeys<E> = Exclude<Extract<keyof E, string>, RefKeys<E> | 'id'>;
type NullIfOptional<E, K extends keyof E> = undefined extends E[K] ? null : null extends E[K] ? null : never;

/**
 * A row of entity `E` as the read path returns it: its scalar properties by name (optional ones
 * `null` when empty), each many-to-one `owner` as `ownerId`, and the primary key as `dbId` (the API
 * shows global IDs). Derived from the entity, so a renamed property is a compile error everywhere.
 */
export type RowOf<E> = { dbId: number } & { -readonly [K in ScalarKeys<E>]-?: Exclude<E[K], undefined> } & {
  -readonly [K in RefKeys<E> as `${K}Id`]-?: number | NullIfOptional<E, K>;
};

/** A row of some entity, when the entity is not known statically. */
export type Row = { dbId: number } & Record<string, unknown>;

/** A condition on one property: a value (`null`: is null), one of several, anything but, or a bound. */
export type Condition<V> = V | { in: readonly V[] } | { not: V } | { gte: V } | { lte: V };

/** A typed filter: every given condition must hold; `undefined` conditions are left out. */
export type Filter<E> = { [K in keyof RowOf<E>]?: Condition<RowOf<E>[K]> | undefined };

type Decoder = (raw: unknown) => unknown;
const NONE: readonly string[] = [];
interface Column {
  key: string;
  column: string;
  decode: Decoder;
  /** Whether a cursor may hold a value of this column: SQL integers (ids, numbers) and dates (epoch ms). */
  cursorValue: (value: unknown) => boolean;
}

const INT32 = 2 ** 31 - 1;
const MAX_DATE_MS = 8.64e15;
const isInt32 = (v: unknown) => Number.isInteger(v) && Math.abs(v as number) <= INT32;
const isEpochMs = (v: unknown) => Number.isInteger(v) && Math.abs(v as number) <= MAX_DATE_MS;
const notInCursors = () => false;

function cursorCheckFor(type: string): (value: unknown) => boolean {
  const t = type.toLowerCase();
  if (t === 'date' || t.includes('datetime') || t.includes('timestamp')) return isEpochMs;
  if (t.includes('int') || t === 'number') return isInt32;
  return notInCursors;
}

const badCursor = () => badInput('after is not a valid cursor for this connection.', 'after');

export type Direction = 'asc' | 'desc';
/** Sort order of a connection: properties, the last of which must be unique (`id`). One direction for all. */
export interface Order {
  props: readonly string[];
  direction: Direction;
}
export const NEWEST_FIRST: Order = { props: ['id'], direction: 'desc' };
export const OLDEST_FIRST: Order = { props: ['id'], direction: 'asc' };

/** Seconds since `time` (0 for none): how long the oldest entry of a queue has waited. */
export function ageSeconds(time: Date | null | undefined): number {
  return time ? Math.max(0, (Date.now() - time.getTime()) / 1000) : 0;
}

/**
 * What a query keeps: a typed filter, or (inside a repository only) a function that adds to the
 * Knex query, for what a filter cannot say (e.g. an `exists` over another table).
 */
export type Where<E = object> = Filter<E> | ((qb: Knex.QueryBuilder) => void);

export interface PageArgs {
  first: number;
  /** The decoded `after` cursor. */
  after: unknown[] | null;
}

/** A read of an entity without some of its properties: the columns it selects, how rows decode, their prototype. */
interface Narrowed {
  select: string | string[];
  columns: Column[];
  proto: object;
}

export interface Slice<T> {
  rows: T[];
  hasNextPage: boolean;
}

const asDate: Decoder = (v) =>
  v === null || v === undefined ? null : v instanceof Date ? v : new Date(typeof v === 'string' && !/^\d+$/.test(v) ? v : Number(v));
const asJson: Decoder = (v) => (typeof v === 'string' ? JSON.parse(v) : (v ?? null));
const asNumber: Decoder = (v) => (v === null || v === undefined ? null : Number(v));
const asBoolean: Decoder = (v) => (v === null || v === undefined ? null : Boolean(v));
const asIs: Decoder = (v) => (v === undefined ? null : v);

function decoderFor(type: string): Decoder {
  const t = type.toLowerCase();
  if (t === 'date' || t.includes('datetime') || t.includes('timestamp')) return asDate;
  if (t.includes('json')) return asJson;
  if (t === 'number' || t.includes('int') || t.includes('double') || t.includes('float') || t === 'real') return asNumber;
  if (t.includes('bool')) return asBoolean;
  return asIs;
}

/** Encodes a position in a sort order as an opaque cursor. */
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values.map((v) => (v instanceof Date ? v.getTime() : v)))).toString('base64url');
}

/** Decodes an `after` cursor for an order of `length` properties; a malformed one is BAD_USER_INPUT. */
export function decodeCursor(cursor: string | null | undefined, length: number): unknown[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === length &&
      values.every((v) => (typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string'))
    ) {
      return values;
    }
  } catch {
    // falls through to the error below
  }
  throw badCursor();
}

/** A to-many relation read for a whole level of the graph at once (e.g. the models of each goal). */
export interface ChildList<E extends object> {
  /** Unique name of the relation, for caches. */
  name: string;
  entity: EntityClass<E>;
  /** The child's property holding the parent key, e.g. `goalId`. */
  parentKey: keyof RowOf<E> & string;
  order: Order;
  filter?: Filter<E>;
}

/** A top-level list: an entity, what to keep, in which order. */
export interface ListQuery<E extends object> {
  entity: EntityClass<E>;
  where: Where<E>;
  order: Order;
}

/**
 * The read path: plain SQL through Knex, rows decoded with MikroORM's metadata, no identity map,
 * and every "per parent" query answered for a whole level of the graph in one statement. Rows
 * inherit from the prototype registered for their entity (the API registers its types', so rows
 * need no conversion), else from a plain object.
 */
export class Reader {
  private readonly columns = new Map<EntityClass, { table: string; columns: Column[]; byKey: Map<string, Column> }>();
  private readonly narrowed = new Map<string, Narrowed>();

  constructor(
    readonly knex: Knex,
    readonly dialect: Dialect,
    private readonly metadata: MetadataStorage,
    private readonly prototypes: ReadonlyMap<EntityClass, object> = new Map(),
    /** Where long read-only statements may run off the event loop (SQLite in a file: `ReadWorker`); not in a transaction. */
    readonly readWorker?: ReadWorker,
  ) {}

  /** The same reader on another connection (a transaction's, which the read worker cannot see), with the same prototypes. */
  withKnex(knex: Knex): Reader {
    return new Reader(knex, this.dialect, this.metadata, this.prototypes);
  }

  private describe(entity: EntityClass) {
    let described = this.columns.get(entity);
    if (!described) {
      const meta: EntityMetadata = this.metadata.get(entity.name);
      const columns: Column[] = [];
      for (const prop of meta.props) {
        if (prop.primary) {
          columns.push({ key: 'dbId', column: prop.fieldNames[0], decode: asNumber, cursorValue: isInt32 });
        } else if (prop.kind === 'scalar') {
          const type = String(prop.type ?? prop.runtimeType);
          columns.push({ key: prop.name, column: prop.fieldNames[0], decode: decoderFor(type), cursorValue: cursorCheckFor(type) });
        } else if (prop.kind === 'm:1') {
          columns.push({ key: `${prop.name}Id`, column: prop.fieldNames[0], decode: asNumber, cursorValue: isInt32 });
        }
      }
      const byKey = new Map(columns.map((c) => [c.key, c]));
      byKey.set('id', byKey.get('dbId')!);
      described = { table: meta.tableName, columns, byKey };
      this.columns.set(entity, described);
    }
    return described;
  }

  /** The table name of an entity, for queries written in a repository. */
  table(entity: EntityClass): string {
    return this.describe(entity).table;
  }

  private field(entity: EntityClass, key: string): Column {
    const described = this.describe(entity);
    const col = described.byKey.get(key) ?? described.byKey.get(`${key}Id`);
    if (!col) throw new Error(`${entity.name} has no column for ${key}`);
    return col;
  }

  /** The column of a property (`owner` or `ownerId` for a many-to-one), for queries written in a repository. */
  column(entity: EntityClass, key: string): string {
    return this.field(entity, key).column;
  }

  /**
   * What a read of `entity` without the properties `omit` selects and how its rows decode. Such a
   * row has no value for them: reading one throws, so a resolver that needs a column left out
   * fails loudly (an internal error) instead of answering null.
   */
  private narrow(entity: EntityClass, omit: readonly string[]): Narrowed {
    const key = `${entity.name}|${omit.join(',')}`;
    let found = this.narrowed.get(key);
    if (!found) {
      const described = this.describe(entity);
      const columns = described.columns.filter((c) => !omit.includes(c.key));
      const base = this.prototypes.get(entity) ?? Object.prototype;
      const proto = omit.length
        ? Object.create(
            base,
            Object.fromEntries(
              omit.map((k) => [
                k,
                {
                  get: () => {
                    throw new Error(`${entity.name}.${k} was not read for this row`);
                  },
                },
              ]),
            ),
          )
        : base;
      found = { select: omit.length ? columns.map((c) => c.column) : '*', columns, proto };
      this.narrowed.set(key, found);
    }
    return found;
  }

  /** The columns a read of `entity` without the properties `omit` selects (`*` for all). */
  selection(entity: EntityClass, omit: readonly string[] = NONE): string | string[] {
    return this.narrow(entity, omit).select;
  }

  /** Decodes raw rows of `entity` (read without the properties `omit`, see `selection`) into typed rows. */
  decode<E extends object>(entity: EntityClass<E>, raws: readonly Record<string, unknown>[], omit: readonly string[] = NONE): RowOf<E>[] {
    const { columns, proto } = this.narrow(entity, omit);
    return raws.map((raw) => {
      const row = Object.create(proto) as Record<string, unknown>;
      for (const c of columns) row[c.key] = c.decode(raw[c.column]);
      return row as RowOf<E>;
    });
  }

  /** How the read path decodes the column of property `key` (`id` for the primary key): what `decode` does to it. */
  decoder(entity: EntityClass, key: string): (raw: unknown) => unknown {
    return this.field(entity, key).decode;
  }

  /**
   * The rows of `entity` matching `where`, in `order`, as a query builder for a statement composed
   * elsewhere (src/db/nested.ts): the same filter and order as every other read of the relation.
   */
  rowsQuery<E extends object>(entity: EntityClass<E>, where: Where<E> | undefined, order: Order | undefined): Knex.QueryBuilder {
    const qb = this.knex(this.describe(entity).table).select('*');
    this.where(entity, qb, where);
    if (order) this.applyOrder(entity, qb, order, null);
    return qb;
  }

  /**
   * The children in `list` of the parent row that the SQL expression `parentRef` names, in the
   * list's order (after the cursor `after`), as a query builder: what a page per parent and a
   * nested read (src/db/nested.ts) both read of a to-many relation.
   */
  childRowsQuery<E extends object>(
    list: ChildList<E>,
    parentRef: string,
    after: unknown[] | null = null,
    columns: string | string[] = '*',
  ): Knex.QueryBuilder {
    const qb = this.knex(this.describe(list.entity).table)
      .select(columns)
      .whereRaw(`?? = ${parentRef}`, [this.column(list.entity, list.parentKey)]);
    this.where(list.entity, qb, list.filter);
    this.applyOrder(list.entity, qb, list.order, after);
    return qb;
  }

  /** A date as the driver stores and compares it (SQLite keeps dates as epoch milliseconds). */
  dateValue(value: Date): Date | number {
    return this.dialect === 'sqlite' ? value.getTime() : value;
  }

  /** A value as the driver stores it (SQLite keeps dates as epoch milliseconds). */
  private param(entity: EntityClass, key: string, value: unknown): unknown {
    const col = this.describe(entity).byKey.get(key);
    if (col?.decode === asDate) {
      if (typeof value === 'number') return this.dialect === 'sqlite' ? value : new Date(value);
      if (value instanceof Date && this.dialect === 'sqlite') return value.getTime();
    }
    return value;
  }

  /** Adds a filter (or a repository's own condition) to a query. */
  private where<E extends object>(entity: EntityClass<E>, qb: Knex.QueryBuilder, where: Where<E> | undefined): void {
    if (!where) return;
    if (typeof where === 'function') return void where(qb);
    for (const [key, condition] of Object.entries(where) as [string, Condition<unknown>][]) {
      if (condition === undefined) continue;
      const col = this.column(entity, key);
      const value = (v: unknown) => this.param(entity, key, v) as Knex.Value;
      if (condition === null) qb.whereNull(col);
      else if (typeof condition !== 'object' || condition instanceof Date) qb.where(col, value(condition));
      else if ('in' in condition) qb.whereIn(col, (condition.in as readonly unknown[]).map(value));
      else if ('not' in condition) qb.where((q) => void q.whereNot(col, value(condition.not)).orWhereNull(col));
      else if ('gte' in condition) qb.where(col, '>=', value(condition.gte));
      else if ('lte' in condition) qb.where(col, '<=', value(condition.lte));
    }
  }

  /** Keeps the rows after the cursor: a row-value comparison, which PostgreSQL and SQLite both index. */
  private whereAfter(entity: EntityClass, qb: Knex.QueryBuilder, order: Order, after: unknown[] | null): void {
    if (!after) return;
    // A cursor is opaque to clients, not trusted: each value must fit its column.
    if (!after.every((v, i) => this.field(entity, order.props[i]).cursorValue(v))) throw badCursor();
    const cols = order.props.map((p) => this.column(entity, p));
    const op = order.direction === 'desc' ? '<' : '>';
    const params = after.map((v, i) => this.param(entity, order.props[i], v)) as Knex.RawBinding[];
    qb.whereRaw(`(${cols.map(() => '??').join(', ')}) ${op} (${cols.map(() => '?').join(', ')})`, [...cols, ...params]);
  }

  private applyOrder(entity: EntityClass, qb: Knex.QueryBuilder, order: Order, after: unknown[] | null): void {
    this.whereAfter(entity, qb, order, after);
    for (const p of order.props) qb.orderBy(this.column(entity, p), order.direction);
  }

  /** Rows by primary key, as a map; without the properties `omit` (see `selection`). */
  async byIds<E extends object>(entity: EntityClass<E>, ids: readonly number[], omit: readonly string[] = NONE): Promise<Map<number, RowOf<E>>> {
    const { table } = this.describe(entity);
    const raws = ids.length
      ? await this.knex(table)
          .select(this.selection(entity, omit))
          .whereIn('id', [...new Set(ids)])
      : [];
    return new Map(this.decode(entity, raws, omit).map((r) => [r.dbId, r]));
  }

  /** One row by primary key, or null. */
  async byId<E extends object>(entity: EntityClass<E>, id: number): Promise<RowOf<E> | null> {
    return (await this.byIds(entity, [id])).get(id) ?? null;
  }

  /** All rows matching `where`, in `order`, at most `limit` (for small lists such as a goal's KPIs); without the properties `omit`. */
  async list<E extends object>(
    entity: EntityClass<E>,
    where: Where<E>,
    order: Order,
    limit?: number,
    omit: readonly string[] = NONE,
  ): Promise<RowOf<E>[]> {
    const qb = this.knex(this.describe(entity).table).select(this.selection(entity, omit));
    this.where(entity, qb, where);
    this.applyOrder(entity, qb, order, null);
    if (limit !== undefined) qb.limit(limit);
    return this.decode(entity, await qb, omit);
  }

  /** The first row matching `where` in `order`, or null. */
  async first<E extends object>(entity: EntityClass<E>, where: Where<E>, order: Order): Promise<RowOf<E> | null> {
    return (await this.list(entity, where, order, 1))[0] ?? null;
  }

  /** One page of a top-level list. */
  async page<E extends object>(query: ListQuery<E>, args: PageArgs): Promise<Slice<RowOf<E>>> {
    const { entity, where, order } = query;
    const qb = this.knex(this.describe(entity).table).select('*');
    this.where(entity, qb, where);
    this.applyOrder(entity, qb, order, args.after);
    qb.limit(args.first + 1);
    const rows = this.decode(entity, await qb);
    return { rows: rows.slice(0, args.first), hasNextPage: rows.length > args.first };
  }

  async count<E extends object>(entity: EntityClass<E>, where: Where<E>): Promise<number> {
    const qb = this.knex(this.describe(entity).table).count({ n: '*' });
    this.where(entity, qb, where);
    const [row] = await qb;
    return Number((row as { n: unknown }).n);
  }

  /** All children of each parent, in the list's order (for short lists). */
  async childrenPerParent<E extends object>(list: ChildList<E>, parentIds: readonly number[]): Promise<Map<number, RowOf<E>[]>> {
    const byParent = new Map<number, RowOf<E>[]>(parentIds.map((id) => [id, []]));
    if (!parentIds.length) return byParent;
    const col = this.column(list.entity, list.parentKey);
    const rows = await this.list(
      list.entity,
      (qb) => {
        qb.whereIn(col, [...new Set(parentIds)]);
        this.where(list.entity, qb, list.filter);
      },
      list.order,
    );
    for (const row of rows) byParent.get(row[list.parentKey] as number)?.push(row);
    return byParent;
  }

  /**
   * One page per parent (e.g. the first 10 models of each goal), in one statement that seeks each
   * parent's first rows through the index: it reads the page (and one row more) of every parent,
   * not all of their children (a model with 10,000 comments costs four rows, not 10,000).
   * PostgreSQL joins the parents laterally; SQLite, which has no LATERAL, picks each parent's rows
   * with a correlated `IN (… LIMIT n)`. Without the properties `omit` (see `selection`), but
   * always with the parent key and the order's, which cursors and the grouping read.
   */
  async pagePerParent<E extends object>(
    list: ChildList<E>,
    parentIds: readonly number[],
    args: PageArgs,
    omit: readonly string[] = NONE,
  ): Promise<Map<number, Slice<RowOf<E>>>> {
    const { entity, order } = list;
    const { table } = this.describe(entity);
    const parent = this.field(entity, list.parentKey);
    const left = omit.filter((k) => k !== parent.key && !order.props.includes(k));
    const select = this.selection(entity, left);
    const result = new Map<number, Slice<RowOf<E>>>();
    for (const id of parentIds) result.set(id, { rows: [], hasNextPage: false });
    if (!parentIds.length) return result;
    const ids = [...new Set(parentIds)];
    const orderCols = order.props.map((p) => this.column(entity, p));
    /** The rows of the parent that `parentRef` names, in order, at most one more than a page. */
    const firstRows = (columns: string | string[], parentRef: string) =>
      // Knex compiles a query builder given as a binding into a parenthesised subquery.
      this.childRowsQuery(list, parentRef, args.after, columns).limit(args.first + 1) as unknown as Knex.Raw;
    const outer = [{ column: `t.${parent.column}` }, ...orderCols.map((c) => ({ column: `t.${c}`, order: order.direction }))];
    const raws: Record<string, unknown>[] =
      this.dialect === 'postgresql'
        ? await this.knex
            .select('t.*')
            .from(this.knex.raw('unnest(?::int[]) as p(id)', [ids]))
            .joinRaw('cross join lateral ? as t', [firstRows(select, 'p.id')])
            .orderBy(outer)
        : await this.knex
            .select(typeof select === 'string' ? 't.*' : select.map((c) => `t.${c}`))
            .from(this.knex.raw('json_each(?) as p', [JSON.stringify(ids)]))
            .joinRaw(`join ?? as t on t.id in ?`, [table, firstRows('id', 'p.value')])
            .orderBy(outer);
    for (const row of this.decode(entity, raws, left)) {
      const slice = result.get((row as Row)[parent.key] as number)!;
      if (slice.rows.length < args.first) slice.rows.push(row);
      else slice.hasNextPage = true;
    }
    return result;
  }

  /** Row counts per parent in one statement. */
  async countPerParent<E extends object>(list: ChildList<E>, parentIds: readonly number[]): Promise<Map<number, number>> {
    const parentCol = this.column(list.entity, list.parentKey);
    const result = new Map<number, number>(parentIds.map((id) => [id, 0]));
    if (!parentIds.length) return result;
    const qb = this.knex(this.describe(list.entity).table)
      .select({ parent: parentCol })
      .count({ n: '*' })
      .whereIn(parentCol, [...new Set(parentIds)])
      .groupBy(parentCol);
    this.where(list.entity, qb, list.filter);
    for (const row of (await qb) as { parent: number | string; n: unknown }[]) result.set(Number(row.parent), Number(row.n));
    return result;
  }
}
