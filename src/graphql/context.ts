import type { Reader } from '../db/reader';
import type { ServiceContext, Viewer } from '../domain/context';
import type { Domain } from '../domain/domain';
import { Origin } from '../domain/enums';
import type { EventBus } from '../events/bus';
import { Loaders } from './loaders';

/** Per request (per subscription on WebSocket): a service context with its own EntityManager, fresh loaders, the viewer. */
export interface GraphQLContext {
  reader: Reader;
  viewer: Viewer;
  loaders: Loaders;
  /** What service methods take first. */
  service: ServiceContext;
  /** Where committed events arrive, for subscriptions. */
  bus: EventBus;
  /** Over HTTP: whether the client has closed its connection (a query still waiting for a slot is then not run). */
  clientGone?: () => boolean;
  /** On WebSocket: ends the connection of a subscriber that fell too far behind (close code 4503). */
  dropSlowSubscriber?: () => void;
}

/** What every request's context shares. */
export interface ContextShared {
  domain: Domain;
  bus: EventBus;
}

export function createContext({ domain, bus }: ContextShared, viewer: Viewer, origin: Origin = Origin.API): GraphQLContext {
  return { reader: domain.reader, viewer, bus, loaders: new Loaders(domain.reader), service: domain.as(viewer, origin) };
}
