import type { Reader, RowOf } from '../../db/reader';
import { authorize, type ServiceContext } from '../context';
import { DriftFlag } from '../drift/drift-flag.entity';
import { Role } from '../enums';
import { notFound } from '../errors';
import { Experiment } from '../experiment/experiment.entity';
import { Run } from '../experiment/run.entity';
import { Feedback } from '../feedback/feedback.entity';
import { Goal } from '../goal/goal.entity';
import { Kpi } from '../goal/kpi.entity';
import { toGlobalId } from '../ids';
import { evidenceDigestOfRow, evidenceOf, type Evidence, UNRECORDED_DIGEST } from '../model/evidence';
import { ModelVersion } from '../model/model-version.entity';
import { Model } from '../model/model.entity';
import { modelRepository } from '../model/model.repository';
import { PromotionRequest } from '../promotion/promotion-request.entity';
import { Review } from '../promotion/review.entity';
import { User } from '../user/user.entity';
import { contentIntact, verifyChain, type ChainVerification } from './chain';
import { LifecycleEvent } from './lifecycle-event.entity';

/** Everything an auditor needs about one model version's sign-off, as plain JSON (`audit.json`). */
export interface AuditPack {
  generatedAt: string;
  version: {
    id: string;
    model: string;
    number: number;
    stage: string;
    description: string | null;
    createdAt: string;
    createdBy: string;
    evidenceFrozenAt: string | null;
  };
  evidence: Evidence;
  evidenceDigest: string;
  lineage: {
    run: { id: string; name: string | null; status: string; startedAt: string; finishedAt: string | null } | null;
    experiment: { id: string; name: string; hypothesis: string | null } | null;
    goal: { id: string; title: string; businessQuestion: string; status: string };
    kpis: {
      id: string;
      name: string;
      direction: string;
      unit: string | null;
      baseline: number | null;
      target: number | null;
      current: number | null;
    }[];
  };
  promotionRequests: {
    id: string;
    fromStage: string;
    toStage: string;
    status: string;
    justification: string | null;
    requestedBy: string;
    requestedAt: string;
    decidedAt: string | null;
    requiredRoles: string[];
    reviews: { reviewer: string; role: string; decision: string; comment: string | null; evidenceDigest: string; at: string }[];
  }[];
  /** The promotion policy in force when the pack was made; each request keeps the roles it required. */
  policyNow: Record<string, string[]>;
  driftFlags: {
    id: string;
    kind: string;
    severity: string;
    status: string;
    description: string;
    raisedBy: string;
    raisedAt: string;
    resolution: string | null;
  }[];
  feedback: { id: string; verdict: string; comment: string | null; author: string; at: string }[];
  events: {
    id: string;
    type: string;
    actor: string | null;
    origin: string;
    summary: string;
    data: unknown;
    occurredAt: string;
    hash: string | null;
    prevHash: string | null;
    intact: boolean;
  }[];
  /** The whole chain, walked when the pack was made. */
  chain: ChainVerification;
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;
const OLDEST_FIRST = { props: ['id'], direction: 'asc' } as const;

/** The audit pack of one version: RISK_MANAGER or ADMIN (or the operator); NOT_FOUND when there is no such version. */
export async function auditPack(ctx: ServiceContext, versionId: number): Promise<AuditPack> {
  authorize(ctx, 'auditPack', [Role.RISK_MANAGER]);
  const { reader } = ctx;
  const version = await reader.byId(ModelVersion, versionId);
  if (!version) throw notFound('Model version', toGlobalId('ModelVersion', versionId));
  return packOf(reader, ctx, version);
}

/** The audit pack of version `number` of the model named `name` (RISK_MANAGER, ADMIN or the operator). */
export async function auditPackByName(ctx: ServiceContext, name: string, number: number): Promise<AuditPack> {
  authorize(ctx, 'auditPack', [Role.RISK_MANAGER]);
  const { version } = await modelRepository.findVersion(ctx, name, number, 'latest');
  return packOf(ctx.reader, ctx, version);
}

async function packOf(reader: Reader, ctx: ServiceContext, version: RowOf<ModelVersion>): Promise<AuditPack> {
  const model = (await reader.byId(Model, version.modelId))!;
  const run = version.runId === null ? null : await reader.byId(Run, version.runId);
  const experiment = run ? await reader.byId(Experiment, run.experimentId) : null;
  const goal = (await reader.byId(Goal, model.goalId))!;
  const kpis = await reader.list(Kpi, { goalId: goal.dbId }, OLDEST_FIRST);
  const requests = await reader.list(PromotionRequest, { modelVersionId: version.dbId }, OLDEST_FIRST);
  const reviews = await reader.list(Review, { promotionRequestId: { in: requests.map((r) => r.dbId) } }, OLDEST_FIRST);
  const flags = await reader.list(DriftFlag, { modelVersionId: version.dbId }, OLDEST_FIRST);
  const feedback = await reader.list(Feedback, { modelVersionId: version.dbId }, OLDEST_FIRST);
  const events = await reader.list(
    LifecycleEvent,
    (qb) => {
      qb.where('model_version_id', version.dbId)
        .orWhere((q) => void q.where('subject_type', 'Model').andWhere('subject_id', model.dbId))
        .orWhere((q) => void q.where('subject_type', 'Run').andWhere('subject_id', run?.dbId ?? 0));
    },
    OLDEST_FIRST,
  );
  const people = await reader.byIds(User, [
    version.createdById,
    ...requests.map((r) => r.requestedById),
    ...reviews.map((r) => r.reviewerId),
    ...flags.map((f) => f.raisedById),
    ...feedback.map((f) => f.authorId),
    ...events.flatMap((e) => (e.actorId === null ? [] : [e.actorId])),
  ]);
  const person = (id: number) => people.get(id)?.name ?? `User ${id}`;
  return {
    generatedAt: new Date().toISOString(),
    version: {
      id: toGlobalId('ModelVersion', version.dbId),
      model: model.name,
      number: version.version,
      stage: version.stage,
      description: version.description,
      createdAt: version.createdAt.toISOString(),
      createdBy: person(version.createdById),
      evidenceFrozenAt: iso(version.evidenceFrozenAt),
    },
    evidence: evidenceOf(version, run && { ...run, runId: run.dbId }),
    evidenceDigest: evidenceDigestOfRow(version, run),
    lineage: {
      run: run && {
        id: toGlobalId('Run', run.dbId),
        name: run.name,
        status: run.status,
        startedAt: run.startedAt.toISOString(),
        finishedAt: iso(run.finishedAt),
      },
      experiment: experiment && { id: toGlobalId('Experiment', experiment.dbId), name: experiment.name, hypothesis: experiment.hypothesis },
      goal: { id: toGlobalId('Goal', goal.dbId), title: goal.title, businessQuestion: goal.businessQuestion, status: goal.status },
      kpis: kpis.map((k) => ({
        id: toGlobalId('Kpi', k.dbId),
        name: k.name,
        direction: k.direction,
        unit: k.unit,
        baseline: k.baseline,
        target: k.target,
        current: k.current,
      })),
    },
    promotionRequests: requests.map((r) => ({
      id: toGlobalId('PromotionRequest', r.dbId),
      fromStage: r.fromStage,
      toStage: r.toStage,
      status: r.status,
      justification: r.justification,
      requestedBy: person(r.requestedById),
      requestedAt: r.createdAt.toISOString(),
      decidedAt: iso(r.decidedAt),
      requiredRoles: r.requiredRoles,
      reviews: reviews
        .filter((v) => v.promotionRequestId === r.dbId)
        .map((v) => ({
          reviewer: person(v.reviewerId),
          role: v.role,
          decision: v.decision,
          comment: v.comment,
          evidenceDigest: v.evidenceDigest ?? UNRECORDED_DIGEST,
          at: v.createdAt.toISOString(),
        })),
    })),
    policyNow: ctx.policy,
    driftFlags: flags.map((f) => ({
      id: toGlobalId('DriftFlag', f.dbId),
      kind: f.kind,
      severity: f.severity,
      status: f.status,
      description: f.description,
      raisedBy: person(f.raisedById),
      raisedAt: f.createdAt.toISOString(),
      resolution: f.resolution,
    })),
    feedback: feedback.map((f) => ({
      id: toGlobalId('Feedback', f.dbId),
      verdict: f.verdict,
      comment: f.comment,
      author: person(f.authorId),
      at: f.createdAt.toISOString(),
    })),
    events: events.map((e) => ({
      id: toGlobalId('LifecycleEvent', e.dbId),
      type: e.type,
      actor: e.actorId === null ? null : person(e.actorId),
      origin: e.origin,
      summary: e.summary,
      data: e.data,
      occurredAt: e.createdAt.toISOString(),
      hash: e.hash,
      prevHash: e.prevHash,
      intact: contentIntact(e),
    })),
    chain: await verifyChain(reader),
  };
}
