import type { Order, Where } from '../../db/reader';
import type { GraphQLContext } from '../context';
import type { ChildSpec } from '../loaders';
import { connection, pageArgs, type ConnectionArgs, type ConnectionRecord } from './connection';

type EntityClass = abstract new (...args: never[]) => object;

/** A connection of a parent's children, batched with the same connection of its siblings. */
export async function childConnection<T extends object>(
  ctx: GraphQLContext,
  spec: ChildSpec<T>,
  parentId: number,
  rawArgs: ConnectionArgs,
): Promise<ConnectionRecord<T>> {
  const args = pageArgs(rawArgs, spec.order);
  const slice = await ctx.loaders.page(spec, args).load(parentId);
  return connection(slice, spec.order, args, () => ctx.loaders.count(spec).load(parentId));
}

/** A top-level connection (`goals`, `models`, `users`). */
export async function rootConnection<T extends object>(
  ctx: GraphQLContext,
  entity: EntityClass,
  where: Where,
  order: Order,
  rawArgs: ConnectionArgs,
  proto: T,
): Promise<ConnectionRecord<T>> {
  const args = pageArgs(rawArgs, order);
  const slice = await ctx.reader.page(entity, where, order, args, proto);
  return connection(slice, order, args, () => ctx.reader.count(entity, where));
}
