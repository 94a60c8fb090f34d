import { nodeTypeNamed } from '../domain/node-registry';
import type { Loaders } from './loaders';

function entityOf(typeName: string) {
  const type = nodeTypeNamed(typeName);
  if (!type) throw new Error(`${typeName} is not a node type; declare it in its aggregate`);
  return type.entity;
}

/**
 * A record by node type name and database id, batched per request; null when it does not exist.
 * `omit`: properties the caller's selection does not read (see `unreadColumns`).
 */
export function loadNode<T = unknown>(ctx: { loaders: Loaders }, typeName: string, id: number, omit?: readonly string[]): Promise<T | null> {
  return ctx.loaders.byId(entityOf(typeName), omit).load(id) as Promise<T | null>;
}

/** Like `loadNode` for an object just written: it must exist, and is read again. */
export async function loadWritten<T = unknown>(ctx: { loaders: Loaders }, typeName: string, id: number): Promise<T> {
  const loader = ctx.loaders.byId(entityOf(typeName));
  loader.clear(id);
  return (await loader.load(id)) as T;
}
