import { NEWEST_FIRST, type ChildList, type Reader, type RowOf } from '../../db/reader';
import { isStorable } from '../validate';
import { MetricPoint } from './metric-point.entity';
import { Experiment } from './experiment.entity';
import { Run } from './run.entity';

/** Reads about experiments and their runs. */
export const experimentRepository = {
  /** The experiments of each goal, newest first. */
  experimentsOf: { name: 'goal.experiments', entity: Experiment, parentKey: 'goalId', order: NEWEST_FIRST } satisfies ChildList<Experiment>,

  /** The runs of each experiment, newest first. */
  runsOf: { name: 'experiment.runs', entity: Run, parentKey: 'experimentId', order: NEWEST_FIRST } satisfies ChildList<Run>,

  /** Every point of a run's metric, in step order, then timestamp, then as logged. */
  /** The first `limit` points of a run's series for `key`, oldest step first. */
  async metricHistory(reader: Reader, runId: number, key: string, limit: number): Promise<RowOf<MetricPoint>[]> {
    if (!isStorable(key)) return [];
    return reader.list(MetricPoint, { runId, key }, { props: ['step', 'timestamp', 'id'], direction: 'asc' }, limit);
  },
};
