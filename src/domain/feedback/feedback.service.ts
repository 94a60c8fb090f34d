import type { EventScope } from '../aggregate';
import { requireViewer, type ServiceContext } from '../context';
import { badInput, notFound } from '../errors';
import { Goal } from '../goal/goal.entity';
import { dbId } from '../ids';
import { findByGlobalId } from '../lookup';
import { versionScope } from '../model/model.repository';
import { write } from '../unit-of-work';
import { LIMITS, oneOf, optionalText } from '../validate';
import { Feedback, FeedbackVerdict } from './feedback.entity';

export interface SubmitFeedbackInput {
  goalId?: string | null;
  modelVersionId?: string | null;
  verdict: FeedbackVerdict;
  comment?: string | null;
}

const VERDICT_WORDS: Record<FeedbackVerdict, string> = {
  MEETS_GOAL: 'meets',
  PARTIALLY_MEETS: 'partially meets',
  MISSES_GOAL: 'misses',
};

export const feedbackService = {
  /**
   * Any authenticated user. Needs a goal, a model version or both; with only a version the goal is
   * its model's goal, with both they must agree.
   */
  async submit(ctx: ServiceContext, input: SubmitFeedbackInput): Promise<Feedback> {
    const viewer = requireViewer(ctx);
    const verdict = oneOf('verdict', input.verdict, FeedbackVerdict);
    const comment = optionalText('comment', input.comment, LIMITS.body) ?? null;
    if (!input.goalId && !input.modelVersionId) throw badInput('Give a goalId, a modelVersionId or both.', 'goalId');
    return write(ctx, async (uow) => {
      const { em } = uow;
      let scope: EventScope & { modelName?: string; version?: number } = {};
      if (input.modelVersionId) {
        const versionId = dbId('ModelVersion', input.modelVersionId, 'Model version');
        scope = await versionScope(em, versionId).catch(() => {
          throw notFound('Model version', JSON.stringify(input.modelVersionId));
        });
      }
      const goal = input.goalId ? await findByGlobalId(em, Goal, 'Goal', input.goalId) : await em.findOneOrFail(Goal, scope.goalId!);
      if (scope.goalId && scope.goalId !== goal.id) {
        throw badInput(`${scope.modelName} v${scope.version} belongs to another goal than "${goal.title}".`, 'modelVersionId');
      }
      const feedback = em.create(Feedback, {
        goal,
        modelVersion: scope.modelVersionId ?? null,
        author: viewer.id,
        verdict,
        comment,
        origin: ctx.origin,
      });
      const about = scope.modelName ? `${scope.modelName} v${scope.version}` : 'the models';
      uow.record({
        type: 'FEEDBACK_SUBMITTED',
        subject: feedback,
        scope: { goalId: goal.id, modelId: scope.modelId ?? null, modelVersionId: scope.modelVersionId ?? null },
        summary: `${uow.actor}: ${about} ${VERDICT_WORDS[verdict]} goal "${goal.title}"${comment ? ` — ${comment}` : ''}`,
        data: { verdict, comment },
      });
      return feedback;
    });
  },
};
