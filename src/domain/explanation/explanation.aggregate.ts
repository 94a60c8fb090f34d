import { defineAggregate, payload } from '../aggregate';
import { versionScope } from '../model/model.repository';
import { PredictionExplanation } from './explanation.entity';

/** Explained outcomes a pipeline posts for a version, and the disputes people raise against them. */
export const explanationAggregate = defineAggregate({
  name: 'explanation',
  entities: [PredictionExplanation],
  nodes: [
    {
      name: 'PredictionExplanation',
      entity: PredictionExplanation,
      discussable: true,
      scope: async (em, id) => versionScope(em, (await em.findOneOrFail(PredictionExplanation, id)).modelVersion.id),
    },
  ],
  events: {
    PREDICTION_EXPLANATIONS_RECORDED: payload<{ recorded: number; updated: number }>(),
    OUTCOME_DISPUTED: payload<{ explanation: string; subjectKey: string; prediction: string; comment: string }>(),
  },
});
