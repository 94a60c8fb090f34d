import type { EntityManager } from '@mikro-orm/knex';
import { Stage } from '../enums';
import type { RecordedEvent } from '../event/event.types';
import type { Projection } from '../event/projections';
import { ModelVersion } from '../model/model-version.entity';
import { DecisionStatus, MlflowDecision } from './mlflow.entities';

/** The prefix of the externalId of a version mirrored from MLflow: `mlflow:NAME/VERSION`. */
export const MLFLOW_PREFIX = 'mlflow:';

/** `mlflow:NAME/VERSION` → its registered model and version (names may hold `/`; versions do not). */
export function parseMlflowId(externalId: string | null | undefined): { name: string; version: string } | null {
  if (!externalId?.startsWith(MLFLOW_PREFIX)) return null;
  const rest = externalId.slice(MLFLOW_PREFIX.length);
  const slash = rest.lastIndexOf('/');
  return slash > 0 && slash < rest.length - 1 ? { name: rest.slice(0, slash), version: rest.slice(slash + 1) } : null;
}

/** Queues the write-back of a version mirrored from MLflow reaching PRODUCTION or STAGING, in the event's transaction. */
export const mlflowProjection: Projection = {
  name: 'mlflow',
  async project(em: EntityManager, event: RecordedEvent): Promise<void> {
    if (event.type !== 'STAGE_CHANGED' || (event.data.toStage !== Stage.PRODUCTION && event.data.toStage !== Stage.STAGING)) return;
    const version = await em.findOne(ModelVersion, event.subjectId, { fields: ['externalId'] });
    const mlflow = parseMlflowId(version?.externalId);
    if (!mlflow) return;
    em.create(MlflowDecision, {
      event: event.id,
      registeredModel: mlflow.name,
      version: mlflow.version,
      stage: event.data.toStage,
      promotionRequestId: event.data.promotionRequestId,
      status: DecisionStatus.PENDING,
      notBefore: new Date(),
    });
  },
};
