import type { EntityMetadata, MetadataStorage } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import { badInput } from '../domain/errors';
import type { Dialect } from './orm';

/**
 * A database row decoded to the entity's property names: the primary key becomes `dbId` (the API
 * shows global IDs), a many-to-one `owner` becomes `ownerId`.
 */
export type Row = { dbId: number } & Record<string, unknown>;

type Decoder = (raw: unknown) => unknown;
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

export type Where = (qb: Knex.QueryBuilder) => void;
type EntityClass = abstract new (...args: never[]) => object;

export interface PageArgs {
  first: number;
  /** The decoded `after` cursor. */
  after: unknown[] | null;
}

export interface Slice<T> {
  rows: T[];
  hasNextPage: boolean;
}

const asDate: Decoder = (v) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(typeof v === 'string' && !/^\d+$/.test(v) ? v : Number(v)));
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
      values.every((v) => typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string')
    ) {
      return values;
    }
  } catch {
    // falls through to the error below
  }
  throw badCursor();
}

/**
 * The read path: plain SQL through Knex, rows decoded with MikroORM's metadata, no identity map,
 * and every "per parent" query answered for a whole level of the graph in one statement.
 */
export class Reader {
  private readonly columns = new Map<EntityClass, { table: string; columns: Column[]; byKey: Map<string, Column> }>();

  constructor(
    readonly knex: Knex,
    readonly dialect: Dialect,
    private readonly metadata: MetadataStorage,
  ) {}

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

  /** The column of a property (`owner` or `ownerId` for a many-to-one). */
  column(entity: EntityClass, key: string): string {
    return this.field(entity, key).column;
  }

  /** Decodes raw rows into objects that inherit from `proto` (the GraphQL type's prototype). */
  decode<T extends object>(entity: EntityClass, raws: readonly Record<string, unknown>[], proto: T): (T & Row)[] {
    const { columns } = this.describe(entity);
    return raws.map((raw) => {
      const row = Object.create(proto) as Record<string, unknown>;
      for (const c of columns) row[c.key] = c.decode(raw[c.column]);
      return row as T & Row;
    });
  }

  /** A value as the driver stores it (SQLite keeps dates as epoch milliseconds). */
  private param(entity: EntityClass, key: string, value: unknown): unknown {
    const col = this.describe(entity).byKey.get(key);
    if (col?.decode === asDate && typeof value === 'number') return this.dialect === 'sqlite' ? value : new Date(value);
    return value;
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

  /** Rows by primary key, as a map. */
  async byIds<T extends object>(entity: EntityClass, ids: readonly number[], proto: T): Promise<Map<number, T & Row>> {
    const { table } = this.describe(entity);
    const raws = ids.length ? await this.knex(table).select('*').whereIn('id', [...new Set(ids)]) : [];
    return new Map(this.decode(entity, raws, proto).map((r) => [r.dbId, r]));
  }

  /** All rows matching `where`, in `order` (for small lists such as a goal's KPIs). */
  async list<T extends object>(entity: EntityClass, where: Where, order: Order, proto: T): Promise<(T & Row)[]> {
    const qb = this.knex(this.describe(entity).table).select('*');
    where(qb);
    this.applyOrder(entity, qb, order, null);
    return this.decode(entity, await qb, proto);
  }

  /** One page of a top-level connection. */
  async page<T extends object>(entity: EntityClass, where: Where, order: Order, args: PageArgs, proto: T): Promise<Slice<T & Row>> {
    const qb = this.knex(this.describe(entity).table).select('*');
    where(qb);
    this.applyOrder(entity, qb, order, args.after);
    qb.limit(args.first + 1);
    const rows = this.decode(entity, await qb, proto);
    return { rows: rows.slice(0, args.first), hasNextPage: rows.length > args.first };
  }

  async count(entity: EntityClass, where: Where): Promise<number> {
    const qb = this.knex(this.describe(entity).table).count({ n: '*' });
    where(qb);
    const [row] = await qb;
    return Number((row as { n: unknown }).n);
  }

  /** One page per parent (e.g. the first 10 models of each goal), in one statement with a window function. */
  async pagePerParent<T extends object>(
    entity: EntityClass,
    parentKey: string,
    parentIds: readonly (number | string)[],
    order: Order,
    args: PageArgs,
    proto: T,
    where: Where = () => undefined,
  ): Promise<Map<number | string, Slice<T & Row>>> {
    const { table } = this.describe(entity);
    const parent = this.field(entity, parentKey);
    const orderCols = order.props.map((p) => this.column(entity, p));
    const result = new Map<number | string, Slice<T & Row>>();
    for (const id of parentIds) result.set(id, { rows: [], hasNextPage: false });
    if (!parentIds.length) return result;
    const over = `partition by ?? order by ${orderCols.map(() => `?? ${order.direction}`).join(', ')}`;
    const inner = this.knex(table)
      .select('*')
      .select(this.knex.raw(`row_number() over (${over}) as "__rn"`, [parent.column, ...orderCols]))
      .whereIn(parent.column, [...new Set(parentIds)]);
    where(inner);
    this.whereAfter(entity, inner, order, args.after);
    const raws: Record<string, unknown>[] = await this.knex
      .select('*')
      .from(inner.as('t'))
      .where('__rn', '<=', args.first + 1)
      .orderBy([{ column: parent.column }, { column: '__rn' }]);
    for (const row of this.decode(entity, raws, proto)) {
      const slice = result.get(row[parent.key] as number | string)!;
      if (slice.rows.length < args.first) slice.rows.push(row);
      else slice.hasNextPage = true;
    }
    return result;
  }

  /** Row counts per parent in one statement. */
  async countPerParent(entity: EntityClass, parentKey: string, parentIds: readonly (number | string)[], where: Where = () => undefined): Promise<Map<number | string, number>> {
    const parentCol = this.column(entity, parentKey);
    const result = new Map<number | string, number>(parentIds.map((id) => [id, 0]));
    if (!parentIds.length) return result;
    const qb = this.knex(this.describe(entity).table)
      .select({ parent: parentCol })
      .count({ n: '*' })
      .whereIn(parentCol, [...new Set(parentIds)])
      .groupBy(parentCol);
    where(qb);
    for (const row of (await qb) as { parent: number | string; n: unknown }[]) {
      result.set(typeof parentIds[0] === 'number' ? Number(row.parent) : row.parent, Number(row.n));
    }
    return result;
  }
}
