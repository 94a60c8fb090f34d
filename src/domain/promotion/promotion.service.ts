import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { requireRole, requireViewer, type ServiceContext, type Viewer } from '../context';
import { Role, Stage } from '../enums';
import { badInput, conflict, forbidden, notFound } from '../errors';
import { actorName, recordEvent, type EventScope } from '../event/event.recorder';
import { LifecycleEventType } from '../event/lifecycle-event.entity';
import { dbId, toGlobalId } from '../ids';
import { lockRow } from '../lock';
import { Model } from '../model/model.entity';
import { ModelVersion } from '../model/model-version.entity';
import { LIMITS, oneOf, optionalText } from '../validate';
import { DEFAULT_PROMOTION_POLICY } from './promotion-policy';
import { PromotionRequest, PromotionStatus } from './promotion-request.entity';
import { Review, ReviewDecision } from './review.entity';

export interface RequestPromotionInput {
  modelVersionId: string;
  toStage: Stage;
  justification?: string | null;
}

export interface ReviewPromotionInput {
  promotionRequestId: string;
  decision: ReviewDecision;
  comment?: string | null;
}

export interface CancelPromotionInput {
  promotionRequestId: string;
  reason?: string | null;
}

/** Required roles that have not approved yet, in `requiredRoles` order. */
export function missingRoles(request: { requiredRoles: Role[] }, reviews: readonly { role: Role; decision: ReviewDecision }[]): Role[] {
  const approved = new Set(reviews.filter((r) => r.decision === ReviewDecision.APPROVE).map((r) => r.role));
  return request.requiredRoles.filter((role) => !approved.has(role));
}

interface Subject {
  version: ModelVersion;
  model: Model;
}

function scope({ version, model }: Subject): EventScope {
  return { goalId: model.goal.id, modelId: model.id, modelVersionId: version.id };
}

function label({ version, model }: Subject): string {
  return `${model.name} v${version.version}`;
}

/** The request and its model row lock; every promotion write of a model is serialised by it. */
async function lockedRequest(em: EntityManager, globalId: string): Promise<{ request: PromotionRequest } & Subject> {
  const id = dbId('PromotionRequest', globalId, 'Promotion request');
  const found = await em.findOne(PromotionRequest, id, { fields: ['modelId'] });
  if (!found) throw notFound('Promotion request', JSON.stringify(globalId));
  await lockRow(em, 'models', found.modelId);
  const request = await em.findOneOrFail(PromotionRequest, id, { refresh: true });
  const version = await em.findOneOrFail(ModelVersion, request.modelVersion.id, { refresh: true });
  const model = await em.findOneOrFail(Model, found.modelId);
  return { request, version, model };
}

async function close(em: EntityManager, ctx: ServiceContext, request: PromotionRequest, subject: Subject, status: PromotionStatus, type: LifecycleEventType, summary: string, data: Record<string, unknown>) {
  request.status = status;
  request.decidedAt = new Date();
  await em.flush();
  await recordEvent(em, ctx, {
    type,
    subject: { type: 'PromotionRequest', id: request.id },
    ...scope(subject),
    summary,
    data: { fromStage: request.fromStage, toStage: request.toStage, status, ...data },
  });
}

/**
 * Moves a version to a stage in the caller's transaction: archives the model's previous
 * PRODUCTION version when a new one arrives, and cancels the pending requests whose `fromStage`
 * no longer holds.
 */
async function changeStage(em: EntityManager, ctx: ServiceContext, subject: Subject, toStage: Stage, cause: PromotionRequest): Promise<void> {
  const { version, model } = subject;
  const fromStage = version.stage;
  if (toStage === Stage.PRODUCTION) {
    const previous = await em.find(ModelVersion, { model: model.id, stage: Stage.PRODUCTION, id: { $ne: version.id } }, { refresh: true });
    for (const old of previous) await changeStage(em, ctx, { version: old, model }, Stage.ARCHIVED, cause);
  }
  version.stage = toStage;
  version.stageChangedAt = new Date();
  await em.flush();
  await recordEvent(em, ctx, {
    type: LifecycleEventType.STAGE_CHANGED,
    subject: { type: 'ModelVersion', id: version.id },
    ...scope(subject),
    summary: `${label(subject)} moved ${fromStage} → ${toStage}`,
    data: { fromStage, toStage, promotionRequestId: toGlobalId('PromotionRequest', cause.id) },
  });
  const stale = await em.find(PromotionRequest, { modelVersion: version.id, status: PromotionStatus.PENDING, fromStage: { $ne: toStage } }, { refresh: true });
  for (const request of stale) {
    await close(em, ctx, request, subject, PromotionStatus.CANCELLED, LifecycleEventType.PROMOTION_CANCELLED,
      `Request to move ${label(subject)} ${request.fromStage} → ${request.toStage} was cancelled: the version is now ${toStage}`,
      { reason: `stage changed to ${toStage}` });
  }
}

async function approve(em: EntityManager, ctx: ServiceContext, request: PromotionRequest, subject: Subject): Promise<void> {
  await close(em, ctx, request, subject, PromotionStatus.APPROVED, LifecycleEventType.PROMOTION_APPROVED,
    `${label(subject)} → ${request.toStage} approved`, {});
  await changeStage(em, ctx, subject, request.toStage, request);
}

function isReviewer(viewer: Viewer, missing: readonly Role[]): Role | undefined {
  return missing.find((role) => viewer.roles.includes(role));
}

export const promotionService = {
  /**
   * DATA_SCIENTIST, ML_ENGINEER or ADMIN. One PENDING request per version; the policy in force
   * decides the required roles, and a target that needs none is applied at once.
   */
  async request(ctx: ServiceContext, input: RequestPromotionInput): Promise<PromotionRequest> {
    requireRole(ctx, 'requestPromotion', [Role.DATA_SCIENTIST, Role.ML_ENGINEER]);
    const toStage = oneOf('toStage', input.toStage, Stage);
    if (toStage === Stage.NONE) throw badInput('toStage cannot be NONE; request STAGING, PRODUCTION or ARCHIVED.', 'toStage');
    const justification = optionalText('justification', input.justification, LIMITS.body) ?? null;
    const versionId = dbId('ModelVersion', input.modelVersionId, 'Model version');
    const policy = ctx.policy ?? DEFAULT_PROMOTION_POLICY;
    try {
      return await ctx.em.transactional(async (em) => {
        const found = await em.findOne(ModelVersion, versionId, { fields: ['model'] });
        if (!found) throw notFound('Model version', JSON.stringify(input.modelVersionId));
        await lockRow(em, 'models', found.model.id);
        const version = await em.findOneOrFail(ModelVersion, versionId, { refresh: true });
        const model = await em.findOneOrFail(Model, version.model.id);
        const subject = { version, model };
        if (version.stage === toStage) throw badInput(`${label(subject)} is already in ${toStage}.`, 'toStage');
        const pending = await em.findOne(PromotionRequest, { modelVersion: version.id, status: PromotionStatus.PENDING });
        if (pending) {
          throw conflict(`${label(subject)} already has a pending request (${pending.fromStage} → ${pending.toStage}); review or cancel it first.`);
        }
        const requiredRoles = [...policy[toStage as keyof typeof policy]];
        const request = em.create(PromotionRequest, {
          modelVersion: version, modelId: model.id, fromStage: version.stage, toStage, status: PromotionStatus.PENDING,
          justification, requestedBy: requireViewer(ctx).id, requiredRoles,
        });
        await em.flush();
        await recordEvent(em, ctx, {
          type: LifecycleEventType.PROMOTION_REQUESTED,
          subject: { type: 'PromotionRequest', id: request.id },
          ...scope(subject),
          summary: `${actorName(ctx)} requested ${label(subject)} ${version.stage} → ${toStage}${requiredRoles.length ? ` (needs ${requiredRoles.join(', ')})` : ''}`,
          data: { fromStage: version.stage, toStage, requiredRoles, justification },
        });
        if (!requiredRoles.length) await approve(em, ctx, request, subject);
        return request;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw conflict('The version already has a pending promotion request.');
      throw err;
    }
  },

  /**
   * A reviewer who holds a missing role and is not the requester, once per request, while it is
   * PENDING. The review counts for the first missing role the reviewer holds. One REJECT rejects;
   * the last missing approval approves and changes the stage in the same transaction.
   */
  async review(ctx: ServiceContext, input: ReviewPromotionInput): Promise<PromotionRequest> {
    const viewer = requireViewer(ctx);
    const decision = oneOf('decision', input.decision, ReviewDecision);
    const comment = optionalText('comment', input.comment, LIMITS.body) ?? null;
    return ctx.em.transactional(async (em) => {
      const { request, ...subject } = await lockedRequest(em, input.promotionRequestId);
      const reviews = await em.find(Review, { promotionRequest: request.id }, { refresh: true });
      if (reviews.some((r) => r.reviewer.id === viewer.id)) throw conflict('You have already reviewed this request.');
      if (request.status !== PromotionStatus.PENDING) throw conflict(`The request is already ${request.status}.`);
      if (request.requestedBy.id === viewer.id) throw forbidden('Four eyes: you cannot review your own promotion request.');
      const missing = missingRoles(request, reviews);
      const role = isReviewer(viewer, missing);
      if (!role) {
        throw forbidden(`This request awaits ${missing.join(', ') || 'no one'}; you hold ${viewer.roles.join(', ')}.`);
      }
      em.create(Review, { promotionRequest: request, reviewer: viewer.id, role, decision, comment, origin: ctx.origin });
      await em.flush();
      const verb = decision === ReviewDecision.APPROVE ? 'approved' : 'rejected';
      const stillMissing = decision === ReviewDecision.APPROVE ? missing.filter((r) => r !== role) : missing;
      await recordEvent(em, ctx, {
        type: LifecycleEventType.PROMOTION_REVIEWED,
        subject: { type: 'PromotionRequest', id: request.id },
        ...scope(subject),
        summary: `${viewer.name} ${verb} ${label(subject)} → ${request.toStage} as ${role}`,
        data: { decision, role, comment, fromStage: request.fromStage, toStage: request.toStage, missingRoles: stillMissing },
      });
      if (decision === ReviewDecision.REJECT) {
        await close(em, ctx, request, subject, PromotionStatus.REJECTED, LifecycleEventType.PROMOTION_REJECTED,
          `${label(subject)} → ${request.toStage} rejected by ${viewer.name} (${role})${comment ? `: ${comment}` : ''}`, { role, comment });
      } else if (!stillMissing.length) {
        await approve(em, ctx, request, subject);
      }
      return request;
    });
  },

  /** The requester or ADMIN, while the request is PENDING. */
  async cancel(ctx: ServiceContext, input: CancelPromotionInput): Promise<PromotionRequest> {
    const viewer = requireViewer(ctx);
    const reason = optionalText('reason', input.reason, LIMITS.body) ?? null;
    return ctx.em.transactional(async (em) => {
      const { request, ...subject } = await lockedRequest(em, input.promotionRequestId);
      if (request.requestedBy.id !== viewer.id && !viewer.roles.includes(Role.ADMIN)) {
        throw forbidden('cancelPromotion is for the requester or an ADMIN.');
      }
      if (request.status !== PromotionStatus.PENDING) throw conflict(`The request is already ${request.status}.`);
      await close(em, ctx, request, subject, PromotionStatus.CANCELLED, LifecycleEventType.PROMOTION_CANCELLED,
        `${viewer.name} cancelled the request to move ${label(subject)} → ${request.toStage}${reason ? `: ${reason}` : ''}`, { reason });
      return request;
    });
  },
};
