import DataLoader from 'dataloader';
import type { ChildList, EntityClass, PageArgs, Reader, RowOf, Slice } from '../db/reader';
import { PLAIN_LIST_CAP, pageKey } from './common/connection';

/**
 * A batch is dispatched on the event loop's next turn, not on `process.nextTick` (DataLoader's
 * default): SQLite answers synchronously, so with nextTick a request never yielded between the
 * levels of its query and concurrent requests ran as one block of up to 750 ms, holding up every
 * other client (and Slack's 3-second acknowledgements) meanwhile.
 */
const nextTurn = (dispatch: () => void): void => void setImmediate(dispatch);

/** What sets apart the loader of rows read without `omit`: rows with and without a column never share a loader. */
export const omitKey = (omit: readonly string[]): string => (omit.length ? `-${omit.join(',')}` : '');

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
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 1000, batchScheduleFn: nextTurn });
      this.loaders.set(key, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }

  /** A row by database id (null when gone); without the properties `omit` (see `Reader.selection`). */
  byId<E extends object>(entity: EntityClass<E>, omit: readonly string[] = []): DataLoader<number, RowOf<E> | null> {
    return this.get(`id:${entity.name}${omitKey(omit)}`, async (ids: readonly number[]) => {
      const found = await this.reader.byIds(entity, ids, omit);
      return ids.map((id) => found.get(id) ?? null);
    });
  }

  /** All children of each parent, in the list's order (for rules that need every one, e.g. a request's reviews). */
  children<E extends object>(list: ChildList<E>): DataLoader<number, RowOf<E>[]> {
    return this.get(`list:${list.name}`, async (parentIds: readonly number[]) => {
      const byParent = await this.reader.childrenPerParent(list, parentIds);
      return parentIds.map((id) => byParent.get(id)!);
    });
  }

  /** The first `PLAIN_LIST_CAP` children of each parent: what a plain list field returns; without the properties `omit`. */
  capped<E extends object>(list: ChildList<E>, omit: readonly string[] = []): DataLoader<number, RowOf<E>[]> {
    return this.get(`capped:${list.name}${omitKey(omit)}`, async (parentIds: readonly number[]) => {
      const slices = await this.reader.pagePerParent(list, parentIds, { first: PLAIN_LIST_CAP, after: null }, omit);
      return parentIds.map((id) => slices.get(id)!.rows);
    });
  }

  /** One page of children per parent; without the properties `omit`. */
  page<E extends object>(list: ChildList<E>, args: PageArgs, omit: readonly string[] = []): DataLoader<number, Slice<RowOf<E>>> {
    return this.get(`page:${list.name}:${pageKey(args)}${omitKey(omit)}`, async (parentIds: readonly number[]) => {
      const slices = await this.reader.pagePerParent(list, parentIds, args, omit);
      return parentIds.map((id) => slices.get(id)!);
    });
  }

  /** The number of children per parent. */
  count<E extends object>(list: ChildList<E>): DataLoader<number, number> {
    return this.get(`count:${list.name}`, async (parentIds: readonly number[]) => {
      const counts = await this.reader.countPerParent(list, parentIds);
      return parentIds.map((id) => counts.get(id) ?? 0);
    });
  }
}
