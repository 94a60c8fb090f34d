import { Deployment } from '../../domain/deployment/deployment.entity';
import type { GraphQLModule } from '../module';
import { DeploymentResolver, ModelVersionDeploymentResolver } from './deployment.resolver';
import { DeploymentType } from './deployment.type';

export const deploymentApi: GraphQLModule = {
  resolvers: [DeploymentResolver, ModelVersionDeploymentResolver],
  records: [[Deployment, DeploymentType]],
};
