import { NEWEST_FIRST, type ChildList, type ListQuery, type Order, type Reader, type RowOf } from '../../db/reader';
import type { Viewer } from '../context';
import { PrincipalKind, type Role } from '../enums';
import { ModelVersion } from '../model/model-version.entity';
import { Model } from '../model/model.entity';
import { User } from '../user/user.entity';
import { PromotionRequest, PromotionStatus } from './promotion-request.entity';
import { Review, ReviewDecision } from './review.entity';

export interface PromotionRequestFilter {
  status?: PromotionStatus | null;
  modelId?: number | null;
}

const OLDEST_FIRST: Order = { props: ['id'], direction: 'asc' };

/** Required roles that have not approved yet, in `requiredRoles` order. */
export function missingRoles(request: { requiredRoles: Role[] }, reviews: readonly { role: Role; decision: ReviewDecision }[]): Role[] {
  const approved = new Set(reviews.filter((r) => r.decision === ReviewDecision.APPROVE).map((r) => r.role));
  return request.requiredRoles.filter((role) => !approved.has(role));
}

/** The first missing role `viewer` holds: the role a review by them would count for. */
export function reviewerRole(viewer: Viewer, missing: readonly Role[]): Role | undefined {
  if (viewer.kind === PrincipalKind.SERVICE) return undefined;
  return missing.find((role) => viewer.roles.includes(role));
}

/** A request with what a person needs to decide on it. */
export interface RequestDetails {
  request: RowOf<PromotionRequest>;
  modelName: string;
  version: number;
  requesterName: string;
  reviews: (RowOf<Review> & { reviewerName: string })[];
  missingRoles: Role[];
}

/** Reads about promotion requests and their reviews. */
export const promotionRepository = {
  /** The order of `awaitingReview`: oldest first, like a queue. */
  awaitingOrder: OLDEST_FIRST,

  /** Requests, newest first. */
  requests(filter: PromotionRequestFilter): ListQuery<PromotionRequest> {
    return { entity: PromotionRequest, where: { status: filter.status ?? undefined, modelId: filter.modelId ?? undefined }, order: NEWEST_FIRST };
  },

  /** The reviews of each request, in the order they were given. */
  reviewsOf: { name: 'request.reviews', entity: Review, parentKey: 'promotionRequestId', order: OLDEST_FIRST } satisfies ChildList<Review>,

  /** The requests of each version, newest first. */
  requestsOfVersion: {
    name: 'version.promotionRequests',
    entity: PromotionRequest,
    parentKey: 'modelVersionId',
    order: NEWEST_FIRST,
  } satisfies ChildList<PromotionRequest>,

  /** The PENDING requests of each model's versions, newest first. */
  pendingOfModel: {
    name: 'model.pendingPromotion',
    entity: PromotionRequest,
    parentKey: 'modelId',
    order: NEWEST_FIRST,
    filter: { status: PromotionStatus.PENDING },
  } satisfies ChildList<PromotionRequest>,

  /**
   * The one rule for "awaiting my review", oldest first: PENDING requests that still miss a role
   * the viewer holds, which the viewer did not make and has not reviewed yet.
   */
  async awaitingReview(reader: Reader, viewer: Viewer): Promise<RowOf<PromotionRequest>[]> {
    const reviews = reader.table(Review);
    const candidates = await reader.list(
      PromotionRequest,
      (qb) => {
        qb.where('status', PromotionStatus.PENDING)
          .whereNot('requested_by_id', viewer.id)
          .whereNotExists(
            (sub) =>
              void sub
                .select(`${reviews}.id`)
                .from(reviews)
                .whereRaw(`${reviews}.promotion_request_id = ${reader.table(PromotionRequest)}.id`)
                .andWhere(`${reviews}.reviewer_id`, viewer.id),
          );
      },
      OLDEST_FIRST,
    );
    const byRequest = await reader.childrenPerParent(
      promotionRepository.reviewsOf,
      candidates.map((r) => r.dbId),
    );
    return candidates.filter((r) => reviewerRole(viewer, missingRoles(r, byRequest.get(r.dbId) ?? [])) !== undefined);
  },

  /** Reviews of many requests at once, by request. */
  reviewsByRequest(reader: Reader, requestIds: readonly number[]): Promise<Map<number, RowOf<Review>[]>> {
    return reader.childrenPerParent(promotionRepository.reviewsOf, requestIds);
  },

  /** Requests with their versions, models, people and reviews, in the order given (a few statements, whatever their number). */
  async detailsOf(reader: Reader, requests: readonly RowOf<PromotionRequest>[]): Promise<RequestDetails[]> {
    // One round trip: the models and the people are found through the versions' and the reviews'
    // tables in SQL rather than from the rows those reads return.
    const versionIds = requests.map((r) => r.modelVersionId);
    const requestIds = requests.map((r) => r.dbId);
    const [versions, reviews, modelRows, peopleRows] = await Promise.all([
      reader.byIds(ModelVersion, versionIds),
      promotionRepository.reviewsByRequest(reader, requestIds),
      reader.list(
        Model,
        (qb) => void qb.whereIn('id', reader.knex(reader.table(ModelVersion)).select(reader.column(ModelVersion, 'model')).whereIn('id', versionIds)),
        OLDEST_FIRST,
      ),
      reader.list(
        User,
        (qb) =>
          void qb.where((either) =>
            either
              .whereIn(
                'id',
                requests.map((r) => r.requestedById),
              )
              .orWhereIn(
                'id',
                reader
                  .knex(reader.table(Review))
                  .select(reader.column(Review, 'reviewer'))
                  .whereIn(reader.column(Review, 'promotionRequest'), requestIds),
              ),
          ),
        OLDEST_FIRST,
      ),
    ]);
    const models = new Map(modelRows.map((m) => [m.dbId, m]));
    const people = new Map(peopleRows.map((p) => [p.dbId, p]));
    const name = (id: number) => people.get(id)?.name ?? '';
    return requests.map((request) => {
      const version = versions.get(request.modelVersionId)!;
      const own = reviews.get(request.dbId) ?? [];
      return {
        request,
        modelName: models.get(version.modelId)!.name,
        version: version.version,
        requesterName: name(request.requestedById),
        reviews: own.map((r) => Object.assign(r, { reviewerName: name(r.reviewerId) })),
        missingRoles: missingRoles(request, own),
      };
    });
  },

  /** One request with its details, or null. */
  async details(reader: Reader, requestId: number): Promise<RequestDetails | null> {
    const request = await reader.byId(PromotionRequest, requestId);
    return request ? (await promotionRepository.detailsOf(reader, [request]))[0] : null;
  },
};
