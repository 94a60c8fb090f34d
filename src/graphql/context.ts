import type { EntityManager } from '@mikro-orm/knex';
import type { Database } from '../db/orm';
import type { Reader } from '../db/reader';
import type { ServiceContext, Viewer } from '../domain/context';
import type { PromotionPolicy } from '../domain/promotion/promotion-policy';
import type { EventBus } from '../events/bus';
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
  /** Where committed events arrive, for subscriptions. */
  bus: EventBus;
}

/** What every request's context shares. */
export interface ContextShared {
  db: Database;
  reader: Reader;
  bus: EventBus;
  policy: PromotionPolicy;
}

export function createContext({ db, reader, bus, policy }: ContextShared, viewer: Viewer, origin: Origin = Origin.API): GraphQLContext {
  const em = db.fork();
  return { db, em, reader, viewer, bus, loaders: new Loaders(reader), service: { em, viewer, origin, policy } };
}
