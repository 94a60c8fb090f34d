import DataLoader from 'dataloader';
import type { Order, PageArgs, Reader, Row, Slice, Where } from '../db/reader';
import { pageKey } from './common/connection';

type EntityClass = abstract new (...args: never[]) => object;

/** A to-many relation read for a whole level of the graph at once (e.g. the models of each goal). */
export interface ChildSpec<T extends object> {
  /** Unique name of the relation, for the loader cache. */
  name: string;
  entity: EntityClass;
  /** The child's property holding the parent key, e.g. `goalId`. */
  parentKey: string;
  order: Order;
  proto: T;
  where?: Where;
}

/**
 * The DataLoaders of one request. Each loader answers a whole level of the query in one SQL
 * statement; loaders for connections are keyed by their page arguments too.
 */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  constructor(private readonly reader: Reader) {}

  /** A loader created once per request under `key`. */
  get<K, V>(key: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    let loader = this.loaders.get(key) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 1000 });
      this.loaders.set(key, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }

  /** A row by database id (null when gone). */
  byId<T extends object>(entity: EntityClass, proto: T): DataLoader<number, (T & Row) | null> {
    return this.get(`id:${entity.name}`, async (ids: readonly number[]) => {
      const found = await this.reader.byIds(entity, ids, proto);
      return ids.map((id) => found.get(id) ?? null);
    });
  }

  /** All children of each parent, in `order` (for short lists such as KPIs). */
  children<T extends object>(spec: ChildSpec<T>): DataLoader<number, (T & Row)[]> {
    return this.get(`list:${spec.name}`, async (parentIds: readonly number[]) => {
      const col = this.reader.column(spec.entity, spec.parentKey);
      const rows = await this.reader.list(spec.entity, (qb) => {
        qb.whereIn(col, [...new Set(parentIds)]);
        spec.where?.(qb);
      }, spec.order, spec.proto);
      const byParent = new Map<number, (T & Row)[]>(parentIds.map((id) => [id, []]));
      for (const row of rows) byParent.get(row[spec.parentKey] as number)?.push(row);
      return parentIds.map((id) => byParent.get(id)!);
    });
  }

  /** One page of children per parent. */
  page<T extends object>(spec: ChildSpec<T>, args: PageArgs): DataLoader<number, Slice<T & Row>> {
    return this.get(`page:${spec.name}:${pageKey(args)}`, async (parentIds: readonly number[]) => {
      const slices = await this.reader.pagePerParent(spec.entity, spec.parentKey, parentIds, spec.order, args, spec.proto, spec.where);
      return parentIds.map((id) => slices.get(id)!);
    });
  }

  /** The number of children per parent. */
  count(spec: ChildSpec<object>): DataLoader<number, number> {
    return this.get(`count:${spec.name}`, async (parentIds: readonly number[]) => {
      const counts = await this.reader.countPerParent(spec.entity, spec.parentKey, parentIds, spec.where);
      return parentIds.map((id) => counts.get(id) ?? 0);
    });
  }
}
