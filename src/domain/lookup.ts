import type { EntityManager } from '@mikro-orm/knex';
import { notFound } from './errors';
import { dbId } from './ids';

type EntityClass<T> = new (...args: never[]) => T;

/** The entity behind a global ID of type `typeName`, or NOT_FOUND. */
export async function findByGlobalId<T extends object>(em: EntityManager, entity: EntityClass<T>, typeName: string, globalId: string): Promise<T> {
  const found = await em.findOne(entity, dbId(typeName, globalId) as never);
  if (!found) throw notFound(typeName, JSON.stringify(globalId));
  return found as T;
}
