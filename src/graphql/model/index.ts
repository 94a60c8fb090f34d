import { ModelVersion } from '../../domain/model/model-version.entity';
import { Model } from '../../domain/model/model.entity';
import type { GraphQLModule } from '../module';
import { ModelResolver, ModelVersionResolver } from './model.resolver';
import { ModelType, ModelVersionType } from './model.type';

export const modelApi: GraphQLModule = {
  resolvers: [ModelResolver, ModelVersionResolver],
  records: [
    [Model, ModelType],
    [ModelVersion, ModelVersionType],
  ],
};
