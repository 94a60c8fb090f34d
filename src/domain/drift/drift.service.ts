import type { EntityManager } from '@mikro-orm/knex';
import { authorize, requireViewer, type ServiceContext } from '../context';
import { Role } from '../enums';
import { badInput, conflict, notFound } from '../errors';
import { actorName, recordEvent } from '../event/event.recorder';
import { LifecycleEventType } from '../event/lifecycle-event.entity';
import { versionScope } from '../event/scope';
import { dbId } from '../ids';
import { lockRow } from '../lock';
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

type VersionScope = Awaited<ReturnType<typeof versionScope>>;

/** Records a drift event about `flag`, scoped to its version, model and goal. */
function recordFlagEvent(
  em: EntityManager, ctx: ServiceContext, flag: DriftFlag, scope: VersionScope,
  type: LifecycleEventType, describe: (version: string) => string, data: Record<string, unknown>,
) {
  return recordEvent(em, ctx, {
    type,
    subject: { type: 'DriftFlag', id: flag.id },
    goalId: scope.goalId, modelId: scope.modelId, modelVersionId: scope.modelVersionId,
    summary: `${actorName(ctx)} ${describe(`${scope.modelName} v${scope.version}`)}`,
    data,
  });
}

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
    return ctx.em.transactional(async (em) => {
      const scope = await versionScope(em, versionId).catch(() => {
        throw notFound('Model version', JSON.stringify(input.modelVersionId));
      });
      const flag = em.create(DriftFlag, {
        ...data, modelVersion: versionId, modelId: scope.modelId, severityRank: SEVERITY_RANK[data.severity],
        raisedBy: requireViewer(ctx).id, status: DriftStatus.OPEN, origin: ctx.origin,
      });
      await em.flush();
      const measured = data.metric && data.observed !== null
        ? ` (${data.metric} ${data.observed}${data.expected !== null ? ` vs ${data.expected} expected` : ''})`
        : '';
      await recordFlagEvent(em, ctx, flag, scope, LifecycleEventType.DRIFT_FLAGGED,
        (version) => `flagged ${data.severity} ${data.kind.toLowerCase()} drift on ${version}${measured}`, { ...data, status: flag.status });
      return flag;
    });
  },

  /** DATA_SCIENTIST, ML_ENGINEER or ADMIN; only an OPEN flag. */
  async acknowledge(ctx: ServiceContext, input: AcknowledgeDriftInput): Promise<DriftFlag> {
    authorize(ctx, 'acknowledgeDrift', TRIAGERS);
    const comment = optionalText('comment', input.comment, LIMITS.body) ?? null;
    return ctx.em.transactional(async (em) => {
      const flag = await lockedFlag(em, input.driftFlagId);
      if (flag.status !== DriftStatus.OPEN) throw conflict(`Only an OPEN flag can be acknowledged; this one is ${flag.status}.`);
      flag.status = DriftStatus.ACKNOWLEDGED;
      flag.acknowledgedAt = new Date();
      await em.flush();
      await recordFlagEvent(em, ctx, flag, await versionScope(em, flag.modelVersion.id), LifecycleEventType.DRIFT_ACKNOWLEDGED,
        (version) => `acknowledged the ${flag.severity} drift on ${version}${comment ? `: ${comment}` : ''}`,
        { fromStatus: DriftStatus.OPEN, status: flag.status, severity: flag.severity, comment });
      return flag;
    });
  },

  /** DATA_SCIENTIST, ML_ENGINEER or ADMIN; from OPEN or ACKNOWLEDGED, with a resolution. */
  async resolve(ctx: ServiceContext, input: ResolveDriftInput): Promise<DriftFlag> {
    authorize(ctx, 'resolveDrift', TRIAGERS);
    if (typeof input.resolution !== 'string') throw badInput('resolution is required.', 'resolution');
    const resolution = requiredText('resolution', input.resolution, LIMITS.body);
    return ctx.em.transactional(async (em) => {
      const flag = await lockedFlag(em, input.driftFlagId);
      if (flag.status === DriftStatus.RESOLVED) throw conflict('The flag is already RESOLVED.');
      const fromStatus = flag.status;
      flag.status = DriftStatus.RESOLVED;
      flag.resolution = resolution;
      flag.resolvedAt = new Date();
      await em.flush();
      await recordFlagEvent(em, ctx, flag, await versionScope(em, flag.modelVersion.id), LifecycleEventType.DRIFT_RESOLVED,
        (version) => `resolved the ${flag.severity} drift on ${version}: ${resolution}`,
        { fromStatus, status: flag.status, severity: flag.severity, resolution });
      return flag;
    });
  },
};
