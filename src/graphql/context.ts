import type { EntityManager } from '@mikro-orm/knex';
import type { Database } from '../db/orm';
import type { Reader } from '../db/reader';
import type { ServiceContext, Viewer } from '../domain/context';
import { Origin } from '../domain/enums';
import { Loaders } from './loaders';

/** Per request (per subscription on WebSocket): one EntityManager fork, fresh loaders, the viewer. */
export interface GraphQLContext {
  db: Database;
  em: EntityManager;
  reader: Reader;
  viewer: Viewer;
  loaders: Loaders;
  /** What service methods take first. */
  service: ServiceContext;
}

export function createContext(db: Database, reader: Reader, viewer: Viewer, origin: Origin = Origin.API): GraphQLContext {
  const em = db.fork();
  return { db, em, reader, viewer, loaders: new Loaders(reader), service: { em, viewer, origin } };
}
