import { defineAggregate, payload } from '../aggregate';
import type { Role, Stage } from '../enums';
import { versionScope } from '../model/model.repository';
import { PromotionRequest, type PromotionStatus } from './promotion-request.entity';
import { Review, type ReviewDecision } from './review.entity';

interface Move {
  fromStage: Stage;
  toStage: Stage;
}

export const promotionAggregate = defineAggregate({
  name: 'promotion',
  entities: [PromotionRequest, Review],
  nodes: [
    {
      name: 'PromotionRequest',
      entity: PromotionRequest,
      discussable: true,
      conversationStartedBy: 'PROMOTION_REQUESTED',
      scope: async (em, id) => versionScope(em, (await em.findOneOrFail(PromotionRequest, id)).modelVersion.id),
    },
  ],
  events: {
    PROMOTION_REQUESTED: payload<Move & { requiredRoles: Role[]; justification: string | null; evidenceDigest: string }>(),
    PROMOTION_REVIEWED: payload<
      Move & { decision: ReviewDecision; role: Role; comment: string | null; missingRoles: Role[]; evidenceDigest: string }
    >(),
    PROMOTION_APPROVED: payload<Move & { status: PromotionStatus }>(),
    PROMOTION_REJECTED: payload<Move & { status: PromotionStatus; role: Role; comment: string | null }>(),
    PROMOTION_CANCELLED: payload<Move & { status: PromotionStatus; reason: string | null }>(),
    /** The subject is the model version; `promotionRequestId` the request that moved it. */
    STAGE_CHANGED: payload<Move & { promotionRequestId: string }>(),
  },
});
