import { NEWEST_FIRST, type ChildList } from '../../db/reader';
import { Experiment } from './experiment.entity';
import { Run } from './run.entity';

/** Reads about experiments and their runs. */
export const experimentRepository = {
  /** The experiments of each goal, newest first. */
  experimentsOf: { name: 'goal.experiments', entity: Experiment, parentKey: 'goalId', order: NEWEST_FIRST } satisfies ChildList<Experiment>,

  /** The runs of each experiment, newest first. */
  runsOf: { name: 'experiment.runs', entity: Run, parentKey: 'experimentId', order: NEWEST_FIRST } satisfies ChildList<Run>,
};
