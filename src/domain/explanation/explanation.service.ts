import { BUILDERS, requireRole, requireViewer, type ServiceContext } from '../context';
import { badInput, notFound } from '../errors';
import { Feedback, FeedbackKind, FeedbackVerdict } from '../feedback/feedback.entity';
import { dbId, toGlobalId } from '../ids';
import { lockRow } from '../lock';
import { findByGlobalId } from '../lookup';
import { ModelVersion } from '../model/model-version.entity';
import { versionScope } from '../model/model.repository';
import { write } from '../unit-of-work';
import { finite, LIMITS, optionalFinite, optionalText, requiredText } from '../validate';
import { PredictionExplanation, type FeatureContribution } from './explanation.entity';

export interface FeatureContributionInput {
  feature: string;
  value?: string | null;
  contribution: number;
}

export interface PredictionExplanationInput {
  subjectKey: string;
  prediction: string;
  score?: number | null;
  attributions: FeatureContributionInput[];
}

export interface RecordPredictionExplanationsInput {
  modelVersionId: string;
  items: PredictionExplanationInput[];
}

export interface DisputeOutcomeInput {
  explanationId: string;
  comment: string;
}

/** At most this many explanations in one `recordPredictionExplanations`. */
export const MAX_EXPLANATIONS = 1_000;
/** At most this many features in one explanation. */
export const MAX_ATTRIBUTIONS = 200;

type Explained = Pick<PredictionExplanation, 'subjectKey' | 'prediction' | 'score' | 'attributions'>;

function attributions(field: string, values: readonly FeatureContributionInput[]): FeatureContribution[] {
  if (!Array.isArray(values)) throw badInput(`${field} must be a list.`, field);
  if (values.length > MAX_ATTRIBUTIONS) throw badInput(`${field} may hold at most ${MAX_ATTRIBUTIONS} features.`, field);
  const seen = new Set<string>();
  const out = values.map((a) => {
    const feature = requiredText(`${field}.feature`, a.feature, LIMITS.name);
    if (seen.has(feature)) throw badInput(`${field} names the feature "${feature}" twice.`, field);
    seen.add(feature);
    return {
      feature,
      value: optionalText(`${field}.value`, a.value, LIMITS.name) ?? null,
      contribution: finite(`${field}.contribution`, a.contribution),
    };
  });
  return out.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}

/** Every item checked before anything is written: one bad item refuses the whole call. */
function explained(items: readonly PredictionExplanationInput[]): Explained[] {
  if (!Array.isArray(items) || !items.length) throw badInput('items must hold at least one explanation.', 'items');
  if (items.length > MAX_EXPLANATIONS) throw badInput(`items may hold at most ${MAX_EXPLANATIONS} explanations.`, 'items');
  const keys = new Set<string>();
  return items.map((item, i) => {
    const subjectKey = requiredText(`items[${i}].subjectKey`, item.subjectKey, LIMITS.name);
    if (keys.has(subjectKey)) throw badInput(`items names the subjectKey "${subjectKey}" twice.`, 'items');
    keys.add(subjectKey);
    return {
      subjectKey,
      prediction: requiredText(`items[${i}].prediction`, item.prediction, LIMITS.name),
      score: optionalFinite(`items[${i}].score`, item.score) ?? null,
      attributions: attributions(`items[${i}].attributions`, item.attributions),
    };
  });
}

/** Whether a stored explanation already says what `item` says (jsonb does not keep key order, so field by field). */
function same(stored: Explained, item: Explained): boolean {
  return (
    stored.prediction === item.prediction &&
    (stored.score ?? null) === item.score &&
    stored.attributions.length === item.attributions.length &&
    stored.attributions.every((a, i) => {
      const b = item.attributions[i];
      return a.feature === b.feature && (a.value ?? null) === b.value && a.contribution === b.contribution;
    })
  );
}

export const explanationService = {
  /**
   * DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER or ADMIN (as logRun; service accounts hold one of
   * these). All or nothing; a subjectKey the version already has is replaced by the new
   * explanation. One PREDICTION_EXPLANATIONS_RECORDED event per call that changes anything.
   */
  async record(ctx: ServiceContext, input: RecordPredictionExplanationsInput): Promise<{ recorded: number; updated: number }> {
    const viewer = requireRole(ctx, 'recordPredictionExplanations', BUILDERS);
    const versionId = dbId('ModelVersion', input.modelVersionId, 'Model version');
    const items = explained(input.items);
    return write(ctx, async (uow) => {
      const { em } = uow;
      // One writer per version at a time, so that two calls with the same new key cannot both insert it.
      if (!(await lockRow(em, 'model_versions', versionId))) throw notFound('Model version', JSON.stringify(input.modelVersionId));
      const scope = await versionScope(em, versionId);
      const known = new Map(
        (await em.find(PredictionExplanation, { modelVersion: versionId, subjectKey: { $in: items.map((i) => i.subjectKey) } })).map((e) => [
          e.subjectKey,
          e,
        ]),
      );
      let recorded = 0;
      let updated = 0;
      for (const item of items) {
        const existing = known.get(item.subjectKey);
        if (!existing) {
          em.create(PredictionExplanation, { ...item, modelVersion: versionId, recordedBy: viewer.id });
          recorded++;
        } else if (!same(existing, item)) {
          Object.assign(existing, item, { recordedBy: viewer.id, updatedAt: new Date() });
          updated++;
        }
      }
      if (recorded + updated) {
        uow.record({
          type: 'PREDICTION_EXPLANATIONS_RECORDED',
          subject: em.getReference(ModelVersion, versionId),
          scope,
          summary: `${uow.actor} recorded ${recorded} new and ${updated} changed outcome explanation${recorded + updated === 1 ? '' : 's'} for ${scope.modelName} v${scope.version}`,
          data: { recorded, updated },
        });
      }
      return { recorded, updated };
    });
  },

  /**
   * Any authenticated user: feedback of kind OUTCOME (verdict MISSES_GOAL) on the explanation's
   * version, linked to it; the model's owner is notified (OUTCOME_DISPUTED).
   */
  async dispute(ctx: ServiceContext, input: DisputeOutcomeInput): Promise<Feedback> {
    const viewer = requireViewer(ctx);
    if (typeof input.comment !== 'string') throw badInput('comment is required.', 'comment');
    const comment = requiredText('comment', input.comment, LIMITS.body);
    return write(ctx, async (uow) => {
      const { em } = uow;
      const explanation = await findByGlobalId(em, PredictionExplanation, 'PredictionExplanation', input.explanationId);
      const scope = await versionScope(em, explanation.modelVersion.id);
      const feedback = em.create(Feedback, {
        goal: scope.goalId,
        modelVersion: scope.modelVersionId,
        author: viewer.id,
        verdict: FeedbackVerdict.MISSES_GOAL,
        comment,
        origin: ctx.origin,
        kind: FeedbackKind.OUTCOME,
        explanation,
      });
      uow.record({
        type: 'OUTCOME_DISPUTED',
        subject: feedback,
        scope,
        summary: `${uow.actor} disputed ${scope.modelName} v${scope.version}'s outcome "${explanation.prediction}" for ${explanation.subjectKey}: ${comment}`,
        data: { explanation: toGlobal(explanation.id), subjectKey: explanation.subjectKey, prediction: explanation.prediction, comment },
      });
      return feedback;
    });
  },
};

const toGlobal = (id: number) => toGlobalId('PredictionExplanation', id);
