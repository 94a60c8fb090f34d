import type { EntityManager } from '@mikro-orm/knex';
import { authorize, requireViewer, type ServiceContext } from '../context';
import { Role } from '../enums';
import { badInput, conflict, notFound } from '../errors';
import { dbId } from '../ids';
import { lockRow } from '../lock';
import { versionScope, type VersionScope } from '../model/model.repository';
import { write } from '../unit-of-work';
import { LIMITS, oneOf, optionalFinite, optionalText, requiredText } from '../validate';
import { DriftFlag, DriftKind, DriftStatus, Severity, SEVERITY_RANK } from './drift-flag.entity';

export interface FlagDriftInput {
  modelVersionId: string;
  kind: DriftKind;
  severity: Severity;
  description: string;
  metric?: string | null;
  observed?: number | null;
  expected?: number | null;
}

export interface AcknowledgeDriftInput {
  driftFlagId: string;
  comment?: string | null;
}

export interface ResolveDriftInput {
  driftFlagId: string;
  resolution: string;
}

/** Who triages drift: they acknowledge and resolve flags. */
const TRIAGERS = [Role.DATA_SCIENTIST, Role.ML_ENGINEER];
const MAX_DESCRIPTION = 5_000;

/** The flag, with its row locked so that concurrent transitions see each other's outcome. */
async function lockedFlag(em: EntityManager, globalId: string): Promise<DriftFlag> {
  const id = dbId('DriftFlag', globalId, 'Drift flag');
  if (!(await lockRow(em, 'drift_flags', id))) throw notFound('Drift flag', JSON.stringify(globalId));
  return em.findOneOrFail(DriftFlag, id, { refresh: true });
}

/** How a drift event names its version: "churn-model v3". */
const versionLabel = (scope: VersionScope) => `${scope.modelName} v${scope.version}`;

export const driftService = {
  /** Any authenticated user, on any version. */
  async flag(ctx: ServiceContext, input: FlagDriftInput): Promise<DriftFlag> {
    requireViewer(ctx);
    const data = {
      kind: oneOf('kind', input.kind, DriftKind),
      severity: oneOf('severity', input.severity, Severity),
      description: requiredText('description', input.description, MAX_DESCRIPTION),
      metric: optionalText('metric', input.metric, LIMITS.name) ?? null,
      observed: optionalFinite('observed', input.observed) ?? null,
      expected: optionalFinite('expected', input.expected) ?? null,
    };
    const versionId = dbId('ModelVersion', input.modelVersionId, 'Model version');
    return write(ctx, async (uow) => {
      const scope = await versionScope(uow.em, versionId).catch(() => {
        throw notFound('Model version', JSON.stringify(input.modelVersionId));
      });
      const flag = uow.em.create(DriftFlag, {
        ...data, modelVersion: versionId, modelId: scope.modelId, severityRank: SEVERITY_RANK[data.severity],
        raisedBy: requireViewer(ctx).id, status: DriftStatus.OPEN, origin: ctx.origin,
      });
      const measured = data.metric && data.observed !== null
        ? ` (${data.metric} ${data.observed}${data.expected !== null ? ` vs ${data.expected} expected` : ''})`
        : '';
      uow.record({
        type: 'DRIFT_FLAGGED',
        subject: flag,
        scope,
        summary: `${uow.actor} flagged ${data.severity} ${data.kind.toLowerCase()} drift on ${versionLabel(scope)}${measured}`,
        data: { ...data, status: flag.status },
      });
      return flag;
    });
  },

  /** DATA_SCIENTIST, ML_ENGINEER or ADMIN; only an OPEN flag. */
  async acknowledge(ctx: ServiceContext, input: AcknowledgeDriftInput): Promise<DriftFlag> {
    authorize(ctx, 'acknowledgeDrift', TRIAGERS);
    const comment = optionalText('comment', input.comment, LIMITS.body) ?? null;
    return write(ctx, async (uow) => {
      const flag = await lockedFlag(uow.em, input.driftFlagId);
      if (flag.status !== DriftStatus.OPEN) throw conflict(`Only an OPEN flag can be acknowledged; this one is ${flag.status}.`);
      flag.status = DriftStatus.ACKNOWLEDGED;
      flag.acknowledgedAt = new Date();
      const scope = await versionScope(uow.em, flag.modelVersion.id);
      uow.record({
        type: 'DRIFT_ACKNOWLEDGED',
        subject: flag,
        scope,
        summary: `${uow.actor} acknowledged the ${flag.severity} drift on ${versionLabel(scope)}${comment ? `: ${comment}` : ''}`,
        data: { fromStatus: DriftStatus.OPEN, status: flag.status, severity: flag.severity, comment },
      });
      return flag;
    });
  },

  /** DATA_SCIENTIST, ML_ENGINEER or ADMIN; from OPEN or ACKNOWLEDGED, with a resolution. */
  async resolve(ctx: ServiceContext, input: ResolveDriftInput): Promise<DriftFlag> {
    authorize(ctx, 'resolveDrift', TRIAGERS);
    if (typeof input.resolution !== 'string') throw badInput('resolution is required.', 'resolution');
    const resolution = requiredText('resolution', input.resolution, LIMITS.body);
    return write(ctx, async (uow) => {
      const flag = await lockedFlag(uow.em, input.driftFlagId);
      if (flag.status === DriftStatus.RESOLVED) throw conflict('The flag is already RESOLVED.');
      const fromStatus = flag.status;
      flag.status = DriftStatus.RESOLVED;
      flag.resolution = resolution;
      flag.resolvedAt = new Date();
      const scope = await versionScope(uow.em, flag.modelVersion.id);
      uow.record({
        type: 'DRIFT_RESOLVED',
        subject: flag,
        scope,
        summary: `${uow.actor} resolved the ${flag.severity} drift on ${versionLabel(scope)}: ${resolution}`,
        data: { fromStatus, status: flag.status, severity: flag.severity, resolution },
      });
      return flag;
    });
  },
};
