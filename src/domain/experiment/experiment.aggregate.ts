import { defineAggregate, payload } from '../aggregate';
import type { RunStatus } from '../enums';
import { Experiment } from './experiment.entity';
import { Run, type MetricValue } from './run.entity';

export const experimentAggregate = defineAggregate({
  name: 'experiment',
  entities: [Experiment, Run],
  nodes: [
    {
      name: 'Experiment', entity: Experiment, discussable: true,
      scope: async (em, id) => ({ goalId: (await em.findOneOrFail(Experiment, id)).goal.id }),
      owner: async (em, id) => (await em.findOneOrFail(Experiment, id)).owner.id,
    },
    {
      name: 'Run', entity: Run, discussable: true,
      owner: async (em, id) => (await em.findOneOrFail(Experiment, (await em.findOneOrFail(Run, id)).experiment.id)).owner.id,
      scope: async (em, id) => {
        const run = await em.findOneOrFail(Run, id);
        return { goalId: (await em.findOneOrFail(Experiment, run.experiment.id)).goal.id };
      },
    },
  ],
  events: {
    EXPERIMENT_CREATED: payload<{ name: string; hypothesis: string | null }>(),
    RUN_LOGGED: payload<{ experiment: string; status: RunStatus; metrics: MetricValue[] }>(),
    RUN_UPDATED: payload<{ fromStatus: RunStatus; status: RunStatus; metrics: MetricValue[] }>(),
  },
});
