import type { Database } from '../db/orm';
import type { EntityManager } from '@mikro-orm/knex';
import { Reader, type EntityClass } from '../db/reader';
import './aggregates';
import type { ServiceContext, Viewer } from './context';
import { DEFAULT_DEPLOYMENT_GRACE_MS } from './deployment/deployment.repository';
import { Origin } from './enums';
import { DEFAULT_PROMOTION_POLICY, type PromotionPolicy } from './promotion/promotion-policy';
import { recordedEvents } from './unit-of-work';

export interface DomainOptions {
  /** The promotion policy in force (default `DEFAULT_PROMOTION_POLICY`). */
  policy?: PromotionPolicy;
  /** How long a PRODUCTION version may go without a successful deployment before it shows as overdue (default a day). */
  deploymentGraceMs?: number;
  /** The prototype rows of each entity inherit from (the API registers its types'). */
  prototypes?: ReadonlyMap<EntityClass, object>;
  /** Webhooks may target private, loopback and link-local addresses (default false). */
  allowPrivateTargets?: boolean;
}

/**
 * The domain as adapters see it: each request or job asks it for a service context and calls
 * services and repositories with it. Adapters never touch the ORM, Knex or a table themselves.
 */
export class Domain {
  readonly reader: Reader;
  readonly policy: PromotionPolicy;
  readonly deploymentGraceMs: number;
  private readonly allowPrivateTargets: boolean;

  constructor(
    readonly db: Database,
    options: DomainOptions = {},
  ) {
    this.reader = new Reader(db.knex, db.dialect, db.orm.getMetadata(), options.prototypes, db.readWorker);
    this.policy = options.policy ?? DEFAULT_PROMOTION_POLICY;
    this.deploymentGraceMs = options.deploymentGraceMs ?? DEFAULT_DEPLOYMENT_GRACE_MS;
    this.allowPrivateTargets = options.allowPrivateTargets ?? false;
  }

  /** A context for one request or job, acting as `viewer` (null: nobody, e.g. to authenticate). */
  as(viewer: Viewer | null, origin: Origin = Origin.API): ServiceContext {
    const { db } = this;
    let em: EntityManager | undefined;
    return {
      // Forked when first used: most requests only read (through `reader`), and a subscription
      // keeps its context, unused, for as long as it lives.
      get em() {
        em ??= db.fork();
        return em;
      },
      reader: this.reader,
      viewer,
      origin,
      policy: this.policy,
      deploymentGraceMs: this.deploymentGraceMs,
      allowPrivateTargets: this.allowPrivateTargets,
    };
  }

  /**
   * Calls `listener` after every transaction this process commits that recorded lifecycle events
   * (e.g. to publish them at once); commits that recorded none, the outbox relay's own among them,
   * do not call it.
   */
  onEventsCommitted(listener: () => void): void {
    this.db.orm.em.getEventManager().registerSubscriber({
      afterTransactionCommit: ({ em }) => {
        if (recordedEvents(em)) listener();
      },
    });
  }

  /** A trusted local operator (the `hub` CLI, the demo seed): passes role checks, owns nothing. */
  operator(origin: Origin = Origin.API): ServiceContext {
    return Object.assign(this.as(null, origin), { operator: true });
  }
}
