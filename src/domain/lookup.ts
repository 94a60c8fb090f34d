import type { EntityManager } from '@mikro-orm/knex';
import type { Reader } from '../db/reader';
import { notFound } from './errors';
import { dbId } from './ids';
import { lockAndRead } from './lock';
import { nodeTypeNamed } from './node-registry';

type EntityClass<T> = new (...args: never[]) => T;

/** The entity behind a global ID of type `typeName`, or NOT_FOUND. */
export async function findByGlobalId<T extends object>(em: EntityManager, entity: EntityClass<T>, typeName: string, globalId: string): Promise<T> {
  const found = await em.findOne(entity, dbId(typeName, globalId) as never);
  if (!found) throw notFound(typeName, JSON.stringify(globalId));
  return found as T;
}

/**
 * `findByGlobalId` for a read-modify-write: takes the row's lock and reads the row in the same
 * statement (`lockAndRead`), so that what is read is the last committed state and a concurrent
 * read-modify-write of the row waits for this transaction. Call it before anything else in the
 * transaction has changed the row.
 */
export async function findLocked<T extends object>(em: EntityManager, entity: EntityClass<T>, typeName: string, globalId: string): Promise<T> {
  const { tableName } = em.getMetadata().get(entity.name);
  const row = await lockAndRead(em, tableName, dbId(typeName, globalId));
  if (!row) throw notFound(typeName, JSON.stringify(globalId));
  return em.map(entity, row) as T;
}

/** The database id behind a global ID of a node type, when such an object exists; else NOT_FOUND. */
export async function existingId(reader: Reader, typeName: string, globalId: string): Promise<number> {
  const id = dbId(typeName, globalId);
  const type = nodeTypeNamed(typeName);
  if (!type || !(await reader.byId(type.entity, id))) throw notFound(typeName, JSON.stringify(globalId));
  return id;
}
