import type { EntityManager } from '@mikro-orm/knex';
import { authorize, requireViewer, type ServiceContext } from '../context';
import { Origin, Role, Stage } from '../enums';
import { Goal } from '../goal/goal.entity';
import { ModelVersion } from '../model/model-version.entity';
import { badInput, conflict, notFound } from '../errors';
import { dbId, toGlobalId } from '../ids';
import { lockRow } from '../lock';
import { versionScope, type VersionScope } from '../model/model.repository';
import { write, type UnitOfWork } from '../unit-of-work';
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

export interface FlagDriftManyInput {
  /** Every version in PRODUCTION under this goal. */
  goalId?: string | null;
  modelVersionIds?: string[] | null;
  kind: DriftKind;
  severity: Severity;
  description: string;
}

/** At most this many versions in one `flagDriftMany`. */
export const MAX_FLAGGED_VERSIONS = 100;

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

export type FlagData = Pick<DriftFlag, 'kind' | 'severity' | 'description'> & {
  metric: string | null;
  observed: number | null;
  expected: number | null;
};

/** Who raised a flag a monitor raises: the monitor, in its creator's name, when the breach was seen. */
export interface FlagRaiser {
  monitorId: number;
  raisedBy: number;
  seenAt: Date;
}

/** A new OPEN flag on the version `scope` names, with its DRIFT_FLAGGED event; by the viewer unless a monitor raised it. */
export function raise(uow: UnitOfWork, scope: VersionScope, data: FlagData, monitor?: FlagRaiser): DriftFlag {
  const flag = uow.em.create(DriftFlag, {
    ...data,
    modelVersion: scope.modelVersionId,
    modelId: scope.modelId,
    severityRank: SEVERITY_RANK[data.severity],
    raisedBy: monitor?.raisedBy ?? requireViewer(uow.ctx).id,
    status: DriftStatus.OPEN,
    origin: monitor ? Origin.MONITOR : uow.ctx.origin,
    monitor: monitor?.monitorId ?? null,
    lastSeenAt: monitor?.seenAt ?? new Date(),
  });
  const measured =
    data.metric && data.observed !== null ? ` (${data.metric} ${data.observed}${data.expected !== null ? ` vs ${data.expected} expected` : ''})` : '';
  uow.record({
    type: 'DRIFT_FLAGGED',
    subject: flag,
    scope,
    summary: `${uow.actor} flagged ${data.severity} ${data.kind.toLowerCase()} drift on ${versionLabel(scope)}${measured}`,
    data: { ...data, status: flag.status },
  });
  return flag;
}

/** Resolves an unresolved flag, with its DRIFT_RESOLVED event. */
export function close(uow: UnitOfWork, flag: DriftFlag, scope: VersionScope, resolution: string): void {
  const fromStatus = flag.status;
  flag.status = DriftStatus.RESOLVED;
  flag.resolution = resolution;
  flag.resolvedAt = new Date();
  uow.record({
    type: 'DRIFT_RESOLVED',
    subject: flag,
    scope,
    summary: `${uow.actor} resolved the ${flag.severity} drift on ${versionLabel(scope)}: ${resolution}`,
    data: { fromStatus, status: flag.status, severity: flag.severity, resolution },
  });
}

/** The versions `flagDriftMany` names: those listed, or the production versions under the goal. */
async function versionsToFlag(uow: UnitOfWork, input: FlagDriftManyInput): Promise<number[]> {
  const listed = input.modelVersionIds ?? [];
  if (Boolean(input.goalId) === Boolean(listed.length)) throw badInput('Give either goalId or a non-empty modelVersionIds, not both.', 'goalId');
  if (listed.length > MAX_FLAGGED_VERSIONS) throw badInput(`modelVersionIds may name at most ${MAX_FLAGGED_VERSIONS} versions.`, 'modelVersionIds');
  if (listed.length) return [...new Set(listed.map((id) => dbId('ModelVersion', id, 'Model version')))];
  const goalId = dbId('Goal', input.goalId!);
  if (!(await uow.em.count(Goal, goalId))) throw notFound('Goal', JSON.stringify(input.goalId));
  const versions = await uow.em.find(
    ModelVersion,
    { model: { goal: goalId }, stage: Stage.PRODUCTION },
    { fields: ['id'], orderBy: { id: 'asc' }, limit: MAX_FLAGGED_VERSIONS },
  );
  if (!versions.length) throw badInput('That goal has no model version in PRODUCTION.', 'goalId');
  return versions.map((v) => v.id);
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
    return write(ctx, async (uow) => {
      const scope = await versionScope(uow.em, versionId).catch(() => {
        throw notFound('Model version', JSON.stringify(input.modelVersionId));
      });
      return raise(uow, scope, data);
    });
  },

  /**
   * Any authenticated user: one flag on each version named, or on every PRODUCTION version under a
   * goal, all or none. Where the caller already has an OPEN flag of the same kind, severity and
   * description on a version, that flag is returned instead of a second one.
   */
  async flagMany(ctx: ServiceContext, input: FlagDriftManyInput): Promise<DriftFlag[]> {
    const viewer = requireViewer(ctx);
    const data: FlagData = {
      kind: oneOf('kind', input.kind, DriftKind),
      severity: oneOf('severity', input.severity, Severity),
      description: requiredText('description', input.description, MAX_DESCRIPTION),
      metric: null,
      observed: null,
      expected: null,
    };
    return write(ctx, async (uow) => {
      const flags: DriftFlag[] = [];
      for (const versionId of await versionsToFlag(uow, input)) {
        const scope = await versionScope(uow.em, versionId).catch(() => {
          throw notFound('Model version', JSON.stringify(toGlobalId('ModelVersion', versionId)));
        });
        const same = await uow.em.findOne(DriftFlag, {
          modelVersion: versionId,
          raisedBy: viewer.id,
          status: DriftStatus.OPEN,
          kind: data.kind,
          severity: data.severity,
          description: data.description,
        });
        flags.push(same ?? raise(uow, scope, data));
      }
      return flags;
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
      close(uow, flag, await versionScope(uow.em, flag.modelVersion.id), resolution);
      return flag;
    });
  },
};
