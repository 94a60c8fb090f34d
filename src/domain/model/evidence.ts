import type { EntityManager } from '@mikro-orm/knex';
import { canonicalJson, sha256 } from '../canonical';
import { badInput, conflict } from '../errors';
import type { MetricValue } from '../experiment/run.entity';
import { Run } from '../experiment/run.entity';
import { toGlobalId } from '../ids';
import type { ModelCardData } from './model-version.entity';

/** The fields of a version that freeze, and its run's: what approvers sign off. */
export interface Evidence {
  artifactUri: string | null;
  artifactDigest: string | null;
  card: ModelCardData | null;
  metrics: MetricValue[];
  run: {
    id: string;
    name: string | null;
    status: string;
    params: Record<string, unknown>;
    metrics: MetricValue[];
    datasetUri: string | null;
    codeVersion: string | null;
  } | null;
}

/** A version's evidence fields, from an entity or a row. */
export interface VersionEvidence {
  artifactUri?: string | null;
  artifactDigest?: string | null;
  card?: ModelCardData | null;
  metrics: MetricValue[];
}

/** A run's evidence fields, from an entity or a row, with its database id. */
export interface RunEvidence {
  name?: string | null;
  status: string;
  params: Record<string, unknown>;
  metrics: MetricValue[];
  datasetUri?: string | null;
  codeVersion?: string | null;
}

/** What a review given before evidence digests existed shows as its digest. */
export const UNRECORDED_DIGEST = 'unrecorded';

/** The fields that stay editable on a version once its evidence is frozen (README "Audits"). */
export const EDITABLE_WHEN_FROZEN = ['description'] as const;

export function evidenceOf(version: VersionEvidence, run: (RunEvidence & { runId: number }) | null): Evidence {
  return {
    artifactUri: version.artifactUri ?? null,
    artifactDigest: version.artifactDigest ?? null,
    card: version.card ?? null,
    metrics: version.metrics,
    run: run && {
      id: toGlobalId('Run', run.runId),
      name: run.name ?? null,
      status: run.status,
      params: run.params,
      metrics: run.metrics,
      datasetUri: run.datasetUri ?? null,
      codeVersion: run.codeVersion ?? null,
    },
  };
}

/** sha256 (hex) over the canonical JSON of the evidence. */
export function evidenceDigest(evidence: Evidence): string {
  return sha256(canonicalJson(evidence));
}

/** The evidence digest of a version entity (loading its run). */
export async function digestOfVersion(em: EntityManager, version: VersionEvidence & { run?: { id: number } | null }): Promise<string> {
  const run = version.run ? await em.findOneOrFail(Run, version.run.id) : null;
  return evidenceDigest(evidenceOf(version, run && { ...run, runId: run.id }));
}

/** The evidence digest of a version row and its run's row. */
export function evidenceDigestOfRow(version: VersionEvidence, run: (RunEvidence & { dbId: number }) | null): string {
  return evidenceDigest(evidenceOf(version, run && { ...run, runId: run.dbId }));
}

const SHA256 = /^[0-9a-f]{64}$/;

/** A sha256 in hex (either case, stored lower-case); BAD_USER_INPUT otherwise. */
export function sha256Hex(field: string, value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const text = value.trim().toLowerCase();
  if (!SHA256.test(text)) throw badInput(`${field} must be a sha256 digest: 64 hexadecimal characters.`, field);
  return text;
}

/** CONFLICT for a change to frozen evidence, saying what to do instead. */
export function frozenEvidence(label: string, fields: readonly string[]) {
  return conflict(
    `The evidence of ${label} is frozen (a promotion was requested or it reached STAGING or PRODUCTION), so ${fields.join(', ')} cannot change. ` +
      `Register a new version with createModelVersion instead; ${EDITABLE_WHEN_FROZEN.join(', ')} stays editable.`,
  );
}
