import { DriftFlag } from '../../domain/drift/drift-flag.entity';
import type { GraphQLModule } from '../module';
import { DriftResolver, ModelDriftResolver, ModelVersionDriftResolver } from './drift.resolver';
import { DriftFlagType } from './drift.type';

export const driftApi: GraphQLModule = {
  resolvers: [DriftResolver, ModelDriftResolver, ModelVersionDriftResolver],
  records: [[DriftFlag, DriftFlagType]],
};
