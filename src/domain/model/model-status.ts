import type { Reader, RowOf } from '../../db/reader';
import type { Deployment } from '../deployment/deployment.entity';
import { deploymentOverdue, deploymentRepository } from '../deployment/deployment.repository';
import { DriftFlag, DriftStatus } from '../drift/drift-flag.entity';
import { MOST_SEVERE_FIRST } from '../drift/drift.repository';
import { DomainError } from '../errors';
import type { Feedback } from '../feedback/feedback.entity';
import { feedbackRepository } from '../feedback/feedback.repository';
import { PromotionRequest, PromotionStatus } from '../promotion/promotion-request.entity';
import { promotionRepository, type RequestDetails } from '../promotion/promotion.repository';
import { User } from '../user/user.entity';
import { ModelVersion } from './model-version.entity';
import type { Model } from './model.entity';
import { modelRepository, VERSIONS_HIGHEST_FIRST } from './model.repository';
import { NEWEST_FIRST } from '../../db/reader';

/** A model at a glance: what chat's `status` shows. */
export interface ModelStatus {
  model: RowOf<Model>;
  /** Highest number first. */
  versions: RowOf<ModelVersion>[];
  /** The most severe unresolved flags first, at most `MAX_FLAGS`. */
  openFlags: RowOf<DriftFlag>[];
  pending: RequestDetails | null;
  latestFeedback: (RowOf<Feedback> & { authorName: string }) | null;
  /** Each version's deployments, newest first (versions without any left out). */
  deployments: Map<number, RowOf<Deployment>[]>;
  /** The PRODUCTION versions without a successful deployment within the grace period. */
  notDeployed: RowOf<ModelVersion>[];
}

const MAX_FLAGS = 10;

/**
 * The status of the model of that name (`graceMs`: how long PRODUCTION may go undeployed); NOT_FOUND
 * when there is none. `found` is the model's lookup when the caller started it already.
 */
export async function modelStatus(
  reader: Reader,
  name: string,
  graceMs: number,
  found: Promise<RowOf<Model> | null> = modelRepository.byName(reader, name),
): Promise<ModelStatus> {
  const model = await found;
  if (!model) throw new DomainError('NOT_FOUND', `There is no model named "${name}".`);
  // Independent reads run side by side: a Slack acknowledgement waits for the longest chain, not the sum.
  const pendingOf = async () => {
    const request = await reader.first(PromotionRequest, { modelId: model.dbId, status: PromotionStatus.PENDING }, NEWEST_FIRST);
    return request ? (await promotionRepository.detailsOf(reader, [request]))[0] : null;
  };
  const feedbackOf = async () => {
    const latest = await feedbackRepository.latestForModel(reader, model.dbId);
    return latest ? Object.assign(latest, { authorName: (await reader.byId(User, latest.authorId))?.name ?? '' }) : null;
  };
  const versionsAndDeployments = async () => {
    const all = await reader.list(ModelVersion, { modelId: model.dbId }, VERSIONS_HIGHEST_FIRST);
    return {
      versions: all,
      deployments: await reader.childrenPerParent(
        deploymentRepository.deploymentsOf,
        all.map((v) => v.dbId),
      ),
    };
  };
  const [{ versions, deployments }, openFlags, pending, feedback] = await Promise.all([
    versionsAndDeployments(),
    reader.list(DriftFlag, { modelId: model.dbId, status: { not: DriftStatus.RESOLVED } }, MOST_SEVERE_FIRST, MAX_FLAGS),
    pendingOf(),
    feedbackOf(),
  ]);
  const notDeployed = versions.filter((v) => deploymentOverdue(v, deployments.get(v.dbId) ?? [], graceMs));
  return {
    model,
    versions,
    openFlags,
    pending,
    latestFeedback: feedback,
    deployments,
    notDeployed,
  };
}
