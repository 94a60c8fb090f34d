import { NEWEST_FIRST, type ChildList, type RowOf } from '../../db/reader';
import { Stage } from '../enums';
import type { ModelVersion } from '../model/model-version.entity';
import { Deployment, DeploymentStatus } from './deployment.entity';

/** A day: how long a PRODUCTION version may go without a successful deployment unless DEPLOYMENT_GRACE_S says otherwise. */
export const DEFAULT_DEPLOYMENT_GRACE_MS = 86_400_000;

/** Reads about deployments. */
export const deploymentRepository = {
  /** The deployments of each model version, newest first. */
  deploymentsOf: {
    name: 'modelVersion.deployments',
    entity: Deployment,
    parentKey: 'modelVersionId',
    order: NEWEST_FIRST,
  } satisfies ChildList<Deployment>,
};

/**
 * Whether a version is in PRODUCTION for longer than `graceMs` without a SUCCEEDED deployment
 * recorded since it got there: approved, but not running where it should.
 */
export function deploymentOverdue(
  version: Pick<RowOf<ModelVersion>, 'stage' | 'stageChangedAt'>,
  deployments: readonly Pick<RowOf<Deployment>, 'status' | 'createdAt'>[],
  graceMs: number,
  now = Date.now(),
): boolean {
  if (version.stage !== Stage.PRODUCTION || !version.stageChangedAt) return false;
  const since = version.stageChangedAt.getTime();
  if (now - since <= graceMs) return false;
  return !deployments.some((d) => d.status === DeploymentStatus.SUCCEEDED && d.createdAt.getTime() >= since);
}
