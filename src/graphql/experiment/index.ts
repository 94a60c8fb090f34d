import { Experiment } from '../../domain/experiment/experiment.entity';
import { Run } from '../../domain/experiment/run.entity';
import type { GraphQLModule } from '../module';
import { ExperimentResolver, RunResolver } from './experiment.resolver';
import { ExperimentType, RunType } from './experiment.type';

export const experimentApi: GraphQLModule = {
  resolvers: [ExperimentResolver, RunResolver],
  records: [
    [Experiment, ExperimentType],
    [Run, RunType],
  ],
};
