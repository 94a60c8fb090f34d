import { defineAggregate, payload } from '../aggregate';
import type { RunStatus } from '../enums';
import type { Changes } from '../event/event.types';
import { Experiment } from './experiment.entity';
import { MetricPoint } from './metric-point.entity';
import { Run, type MetricValue } from './run.entity';

export const experimentAggregate = defineAggregate({
  name: 'experiment',
  entities: [Experiment, Run, MetricPoint],
  nodes: [
    {
      name: 'Experiment',
      entity: Experiment,
      discussable: true,
      scope: async (em, id) => ({ goalId: (await em.findOneOrFail(Experiment, id)).goal.id }),
      owner: async (em, id) => (await em.findOneOrFail(Experiment, id)).owner.id,
    },
    {
      name: 'Run',
      entity: Run,
      discussable: true,
      owner: async (em, id) => (await em.findOneOrFail(Experiment, (await em.findOneOrFail(Run, id)).experiment.id)).owner.id,
      scope: async (em, id) => {
        const run = await em.findOneOrFail(Run, id);
        return { goalId: (await em.findOneOrFail(Experiment, run.experiment.id)).goal.id };
      },
    },
  ],
  events: {
    EXPERIMENT_CREATED: payload<{ name: string; hypothesis: string | null }>(),
    RUN_LOGGED: payload<{
      experiment: string;
      status: RunStatus;
      metrics: MetricValue[];
      name: string | null;
      params: Record<string, unknown>;
      datasetUri: string | null;
      codeVersion: string | null;
    }>(),
    /** `metrics` holds the values given; `changes` every field before and after. */
    RUN_UPDATED: payload<{ fromStatus: RunStatus; status: RunStatus; metrics: MetricValue[]; changes: Changes }>(),
    /** `points` appended to the history; `latest`: the value each touched key now has. */
    METRICS_LOGGED: payload<{ points: number; latest: MetricValue[] }>(),
  },
});
