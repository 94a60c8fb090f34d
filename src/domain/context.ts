import type { EntityManager } from '@mikro-orm/knex';
import type { Reader } from '../db/reader';
import { Origin, PrincipalKind, Role } from './enums';
import { forbidden, unauthenticated } from './errors';
import type { PromotionPolicy } from './promotion/promotion-policy';

/** Who is acting. */
export interface Viewer {
  id: number;
  name: string;
  email: string;
  roles: Role[];
  kind: PrincipalKind;
}

/**
 * What every service method takes first: the request's EntityManager and read path, the acting
 * user, where it came from and the promotion policy in force. Adapters get one from `Domain`.
 */
export interface ServiceContext {
  em: EntityManager;
  reader: Reader;
  viewer: Viewer | null;
  origin: Origin;
  policy: PromotionPolicy;
  /** How long a PRODUCTION version may go without a successful deployment before it is overdue. */
  deploymentGraceMs: number;
  /** A trusted local operator (the `hub` CLI, the demo seed): passes role checks, owns nothing. */
  operator?: boolean;
  /** Webhooks may target private, loopback and link-local addresses (`WEBHOOK_ALLOW_PRIVATE`, default false). */
  allowPrivateTargets?: boolean;
}

/** The acting user, or UNAUTHENTICATED. */
export function requireViewer(ctx: ServiceContext): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}

export function hasAnyRole(viewer: Viewer, roles: readonly Role[]): boolean {
  return viewer.roles.some((r) => roles.includes(r));
}

/** Passes when the actor holds one of `roles` (ADMIN always does) or is the operator; else FORBIDDEN naming the action. */
export function authorize(ctx: ServiceContext, action: string, roles: readonly Role[]): void {
  if (ctx.operator) return;
  const viewer = requireViewer(ctx);
  if (!hasAnyRole(viewer, [...roles, Role.ADMIN])) {
    throw forbidden(`${action} needs one of the roles ${[...new Set([...roles, Role.ADMIN])].join(', ')}.`);
  }
}

/** `authorize`, then the acting user (who will own what is created). */
export function requireRole(ctx: ServiceContext, action: string, roles: readonly Role[]): Viewer {
  authorize(ctx, action, roles);
  return requireViewer(ctx);
}

export const BUILDERS: readonly Role[] = [Role.DATA_SCIENTIST, Role.DATA_ENGINEER, Role.ML_ENGINEER];
