import { User } from '../../domain/user/user.entity';
import type { GraphQLModule } from '../module';
import { UserResolver } from './user.resolver';
import { UserType } from './user.type';

export const userApi: GraphQLModule = {
  resolvers: [UserResolver],
  records: [[User, UserType]],
};
