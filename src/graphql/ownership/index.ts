import type { GraphQLModule } from '../module';
import { OwnershipResolver } from './ownership.resolver';

export const ownershipApi: GraphQLModule = {
  resolvers: [OwnershipResolver],
  records: [],
};
