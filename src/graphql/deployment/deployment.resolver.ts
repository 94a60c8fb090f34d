import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { DeploymentStatus } from '../../domain/deployment/deployment.entity';
import { deploymentOverdue, deploymentRepository } from '../../domain/deployment/deployment.repository';
import { deploymentService } from '../../domain/deployment/deployment.service';
import type { GraphQLContext } from '../context';
import { ModelVersionType } from '../model/model.type';
import { loadNode, loadWritten } from '../nodes';
import { UserType } from '../user/user.type';
import { DeploymentType } from './deployment.type';
import type * as commands from '../../domain/deployment/deployment.service';

@InputType('RecordDeploymentInput', { description: 'A deployment of a model version, as the deploying pipeline reports it.' })
class RecordDeploymentInput implements commands.RecordDeploymentInput {
  @Field(() => ID, { description: 'The model version deployed.' })
  modelVersionId!: string;

  @Field(() => String, { description: 'Where it runs, e.g. "production" or "eu-west-1"; 1 to 100 characters.' })
  environment!: string;

  @Field(() => DeploymentStatus, { description: 'How the deployment went.' })
  status!: DeploymentStatus;

  @Field(() => String, { nullable: true, description: 'An http(s) URL: the endpoint, or the deployment job.' })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'Anything else worth knowing, e.g. an error message; up to 10,000 characters.' })
  detail?: string | null;
}

@ObjectType('RecordDeploymentPayload', { simpleResolvers: true, description: 'The deployment recorded.' })
class RecordDeploymentPayload {
  @Field(() => DeploymentType, { description: 'The new deployment; the caller recorded it.' })
  deployment!: DeploymentType;
}

@Resolver(() => DeploymentType)
export class DeploymentResolver {
  @FieldResolver(() => ModelVersionType, { description: 'The model version deployed.' })
  modelVersion(@Root() deployment: DeploymentType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'ModelVersion', deployment.modelVersionId);
  }

  @FieldResolver(() => UserType, { description: 'Who reported the deployment, usually a service account.' })
  recordedBy(@Root() deployment: DeploymentType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', deployment.recordedById);
  }

  @Mutation(() => RecordDeploymentPayload, { description: 'ML_ENGINEER, ADMIN or a service account: reports where a version runs.' })
  async recordDeployment(
    @Arg('input', () => RecordDeploymentInput, { description: "The mutation's arguments." }) input: RecordDeploymentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecordDeploymentPayload> {
    const deployment = await deploymentService.record(ctx.service, input);
    return { deployment: await loadWritten(ctx, 'Deployment', deployment.id) };
  }
}

@Resolver(() => ModelVersionType)
export class ModelVersionDeploymentResolver {
  @FieldResolver(() => [DeploymentType], { description: 'Newest first.' })
  deployments(@Root() version: ModelVersionType, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.children(deploymentRepository.deploymentsOf).load(version.dbId);
  }

  @FieldResolver(() => Boolean, {
    description: 'In PRODUCTION for longer than DEPLOYMENT_GRACE_S without a SUCCEEDED deployment recorded since: approved but not running.',
  })
  async deploymentOverdue(@Root() version: ModelVersionType, @Ctx() ctx: GraphQLContext) {
    if (version.stage !== 'PRODUCTION') return false;
    const deployments = await ctx.loaders.children(deploymentRepository.deploymentsOf).load(version.dbId);
    return deploymentOverdue(version, deployments, ctx.service.deploymentGraceMs);
  }
}
