import type { ChildList, ListQuery, Order, RowOf } from '../../db/reader';
import type { GraphQLContext } from '../context';
import { connection, pageArgs, type ConnectionArgs, type ConnectionRecord } from './connection';

/**
 * A connection of a parent's children, batched with the same connection of its siblings; its rows
 * without the properties `omit` (see `unreadColumnsInPage`).
 */
export async function childConnection<E extends object>(
  ctx: GraphQLContext,
  list: ChildList<E>,
  parentId: number,
  rawArgs: ConnectionArgs,
  omit: readonly string[] = [],
): Promise<ConnectionRecord<RowOf<E>>> {
  const args = pageArgs(rawArgs, list.order);
  const slice = await ctx.loaders.page(list, args, omit).load(parentId);
  return connection(slice, list.order, args, () => ctx.loaders.count(list).load(parentId));
}

/** A top-level connection (`goals`, `models`, `users`) over a repository's list query. */
export async function rootConnection<E extends object>(
  ctx: GraphQLContext,
  query: ListQuery<E>,
  rawArgs: ConnectionArgs,
): Promise<ConnectionRecord<RowOf<E>>> {
  const args = pageArgs(rawArgs, query.order);
  const slice = await ctx.reader.page(query, args);
  return connection(slice, query.order, args, () => ctx.reader.count(query.entity, query.where));
}

/** A connection over rows already in memory, sorted in `order` (short lists the domain computes). */
export function listConnection<T extends object>(rows: readonly T[], order: Order, rawArgs: ConnectionArgs): ConnectionRecord<T> {
  const args = pageArgs(rawArgs, order);
  const key = (row: T) =>
    order.props.map((p) => {
      const value = (row as Record<string, unknown>)[p === 'id' ? 'dbId' : p];
      return value instanceof Date ? value.getTime() : Number(value);
    });
  const sign = order.direction === 'asc' ? 1 : -1;
  const after = args.after as number[] | null;
  const isAfter = (row: T) => {
    const values = key(row);
    for (let i = 0; i < values.length; i++) if (values[i] !== after![i]) return sign * (values[i] - after![i]) > 0;
    return false;
  };
  const rest = after ? rows.filter(isAfter) : [...rows];
  return connection({ rows: rest.slice(0, args.first), hasNextPage: rest.length > args.first }, order, args, async () => rows.length);
}
