import { defineAggregate, payload } from '../aggregate';
import { versionScope } from '../model/model.repository';
import { Feedback, type FeedbackVerdict } from './feedback.entity';

export const feedbackAggregate = defineAggregate({
  name: 'feedback',
  entities: [Feedback],
  nodes: [
    {
      name: 'Feedback',
      entity: Feedback,
      discussable: true,
      scope: async (em, id) => {
        const feedback = await em.findOneOrFail(Feedback, id);
        return feedback.modelVersion ? versionScope(em, feedback.modelVersion.id) : { goalId: feedback.goal.id };
      },
    },
  ],
  events: {
    FEEDBACK_SUBMITTED: payload<{ verdict: FeedbackVerdict; comment: string | null }>(),
  },
});
