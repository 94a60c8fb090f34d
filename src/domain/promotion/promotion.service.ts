import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { RowOf } from '../../db/reader';
import { requireRole, requireViewer, type ServiceContext } from '../context';
import { PrincipalKind, Role, Stage } from '../enums';
import { badInput, conflict, forbidden, notFound } from '../errors';
import { dbId, toGlobalId } from '../ids';
import { lockRow } from '../lock';
import { Model } from '../model/model.entity';
import { digestOfVersion } from '../model/evidence';
import { ModelVersion } from '../model/model-version.entity';
import { write, type UnitOfWork } from '../unit-of-work';
import { LIMITS, oneOf, optionalText } from '../validate';
import { PromotionRequest, PromotionStatus } from './promotion-request.entity';
import { missingRoles, promotionRepository, reviewerRole } from './promotion.repository';
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

interface Subject {
  version: ModelVersion;
  model: Model;
}

function scope({ version, model }: Subject) {
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

type Closing = 'PROMOTION_APPROVED' | 'PROMOTION_REJECTED' | 'PROMOTION_CANCELLED';

function close(
  uow: UnitOfWork,
  request: PromotionRequest,
  subject: Subject,
  type: Closing,
  summary: string,
  extra: { role?: Role; comment?: string | null; reason?: string | null },
) {
  const status = {
    PROMOTION_APPROVED: PromotionStatus.APPROVED,
    PROMOTION_REJECTED: PromotionStatus.REJECTED,
    PROMOTION_CANCELLED: PromotionStatus.CANCELLED,
  }[type];
  request.status = status;
  request.decidedAt = new Date();
  const data = { fromStage: request.fromStage, toStage: request.toStage, status };
  const common = { subject: request, scope: scope(subject), summary };
  if (type === 'PROMOTION_REJECTED') uow.record({ type, ...common, data: { ...data, role: extra.role!, comment: extra.comment ?? null } });
  else if (type === 'PROMOTION_CANCELLED') uow.record({ type, ...common, data: { ...data, reason: extra.reason ?? null } });
  else uow.record({ type, ...common, data });
}

/**
 * Moves a version to a stage in the caller's unit of work: archives the model's previous
 * PRODUCTION version when a new one arrives, and cancels the pending requests whose `fromStage`
 * no longer holds.
 */
async function changeStage(uow: UnitOfWork, subject: Subject, toStage: Stage, cause: PromotionRequest): Promise<void> {
  const { em } = uow;
  const { version, model } = subject;
  const fromStage = version.stage;
  if (toStage === Stage.PRODUCTION) {
    const previous = await em.find(ModelVersion, { model: model.id, stage: Stage.PRODUCTION, id: { $ne: version.id } }, { refresh: true });
    for (const old of previous) await changeStage(uow, { version: old, model }, Stage.ARCHIVED, cause);
  }
  version.stage = toStage;
  version.stageChangedAt = new Date();
  version.evidenceFrozenAt ??= version.stageChangedAt;
  uow.record({
    type: 'STAGE_CHANGED',
    subject: version,
    scope: scope(subject),
    summary: `${label(subject)} moved ${fromStage} → ${toStage}`,
    data: { fromStage, toStage, promotionRequestId: toGlobalId('PromotionRequest', cause.id) },
  });
  await em.flush();
  const stale = await em.find(
    PromotionRequest,
    { modelVersion: version.id, status: PromotionStatus.PENDING, fromStage: { $ne: toStage } },
    { refresh: true },
  );
  for (const request of stale) {
    close(
      uow,
      request,
      subject,
      'PROMOTION_CANCELLED',
      `Request to move ${label(subject)} ${request.fromStage} → ${request.toStage} was cancelled: the version is now ${toStage}`,
      { reason: `stage changed to ${toStage}` },
    );
  }
}

async function approve(uow: UnitOfWork, request: PromotionRequest, subject: Subject): Promise<void> {
  close(uow, request, subject, 'PROMOTION_APPROVED', `${label(subject)} → ${request.toStage} approved`, {});
  await changeStage(uow, subject, request.toStage, request);
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
    try {
      return await write(ctx, async (uow) => {
        const { em } = uow;
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
        const requiredRoles = [...ctx.policy[toStage as keyof typeof ctx.policy]];
        if (toStage === Stage.PRODUCTION && requiredRoles.length && !version.artifactDigest) {
          throw conflict(
            `${label(subject)} has no artifactDigest, and approvers of a PRODUCTION move must know which artifact they sign off. ` +
              (version.evidenceFrozenAt
                ? 'Its evidence is frozen: register a new version with the artifactDigest (createModelVersion) and request that.'
                : 'Set it with updateModelVersion, or register a new version with it.'),
          );
        }
        version.evidenceFrozenAt ??= new Date();
        const request = em.create(PromotionRequest, {
          modelVersion: version,
          modelId: model.id,
          fromStage: version.stage,
          toStage,
          status: PromotionStatus.PENDING,
          justification,
          requestedBy: requireViewer(ctx).id,
          requiredRoles,
        });
        uow.record({
          type: 'PROMOTION_REQUESTED',
          subject: request,
          scope: scope(subject),
          summary: `${uow.actor} requested ${label(subject)} ${version.stage} → ${toStage}${requiredRoles.length ? ` (needs ${requiredRoles.join(', ')})` : ''}`,
          data: { fromStage: version.stage, toStage, requiredRoles, justification, evidenceDigest: await digestOfVersion(em, version) },
        });
        await em.flush();
        if (!requiredRoles.length) await approve(uow, request, subject);
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
    if (viewer.kind === PrincipalKind.SERVICE) throw forbidden('A service account cannot review a promotion request: sign-off is for people.');
    const decision = oneOf('decision', input.decision, ReviewDecision);
    const comment = optionalText('comment', input.comment, LIMITS.body) ?? null;
    return write(ctx, async (uow) => {
      const { em } = uow;
      const { request, ...subject } = await lockedRequest(em, input.promotionRequestId);
      const reviews = await em.find(Review, { promotionRequest: request.id }, { refresh: true });
      if (reviews.some((r) => r.reviewer.id === viewer.id)) throw conflict('You have already reviewed this request.');
      if (request.status !== PromotionStatus.PENDING) throw conflict(`The request is already ${request.status}.`);
      if (request.requestedBy.id === viewer.id) throw forbidden('Four eyes: you cannot review your own promotion request.');
      const missing = missingRoles(request, reviews);
      const role = reviewerRole(viewer, missing);
      if (!role) {
        throw forbidden(`This request awaits ${missing.join(', ') || 'no one'}; you hold ${viewer.roles.join(', ')}.`);
      }
      const evidenceDigest = await digestOfVersion(em, subject.version);
      em.create(Review, { promotionRequest: request, reviewer: viewer.id, role, decision, comment, origin: ctx.origin, evidenceDigest });
      const verb = decision === ReviewDecision.APPROVE ? 'approved' : 'rejected';
      const stillMissing = decision === ReviewDecision.APPROVE ? missing.filter((r) => r !== role) : missing;
      uow.record({
        type: 'PROMOTION_REVIEWED',
        subject: request,
        scope: scope(subject),
        summary: `${viewer.name} ${verb} ${label(subject)} → ${request.toStage} as ${role}`,
        data: { decision, role, comment, fromStage: request.fromStage, toStage: request.toStage, missingRoles: stillMissing, evidenceDigest },
      });
      if (decision === ReviewDecision.REJECT) {
        close(
          uow,
          request,
          subject,
          'PROMOTION_REJECTED',
          `${label(subject)} → ${request.toStage} rejected by ${viewer.name} (${role})${comment ? `: ${comment}` : ''}`,
          { role, comment },
        );
      } else if (!stillMissing.length) {
        await approve(uow, request, subject);
      }
      return request;
    });
  },

  /** The requester or ADMIN, while the request is PENDING. */
  async cancel(ctx: ServiceContext, input: CancelPromotionInput): Promise<PromotionRequest> {
    const viewer = requireViewer(ctx);
    const reason = optionalText('reason', input.reason, LIMITS.body) ?? null;
    return write(ctx, async (uow) => {
      const { request, ...subject } = await lockedRequest(uow.em, input.promotionRequestId);
      if (request.requestedBy.id !== viewer.id && !viewer.roles.includes(Role.ADMIN)) {
        throw forbidden('cancelPromotion is for the requester or an ADMIN.');
      }
      if (request.status !== PromotionStatus.PENDING) throw conflict(`The request is already ${request.status}.`);
      close(
        uow,
        request,
        subject,
        'PROMOTION_CANCELLED',
        `${viewer.name} cancelled the request to move ${label(subject)} → ${request.toStage}${reason ? `: ${reason}` : ''}`,
        { reason },
      );
      return request;
    });
  },

  /** The requests awaiting the viewer's review (one rule for the API, Slack and the dashboard), oldest first. */
  awaitingMyReview(ctx: ServiceContext): Promise<RowOf<PromotionRequest>[]> {
    return promotionRepository.awaitingReview(ctx.reader, requireViewer(ctx));
  },
};
