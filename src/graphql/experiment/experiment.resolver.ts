import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { experimentRepository } from '../../domain/experiment/experiment.repository';
import { experimentService } from '../../domain/experiment/experiment.service';
import { ConnectionArgs, listCap } from '../common/connection';
import { childConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { GoalType } from '../goal/goal.type';
import { loadNode, loadWritten } from '../nodes';
import { UserType } from '../user/user.type';
import {
  CreateExperimentInput,
  CreateExperimentPayload,
  EnsureExperimentInput,
  EnsureExperimentPayload,
  LogMetricsInput,
  LogMetricsPayload,
  LogRunInput,
  LogRunPayload,
  UpdateRunInput,
  UpdateRunPayload,
} from './experiment.input';
import { ExperimentType, MetricPointType, RunConnection, RunType } from './experiment.type';

@Resolver(() => ExperimentType)
export class ExperimentResolver {
  @FieldResolver(() => GoalType, { description: 'The goal the experiment works towards.' })
  goal(@Root() experiment: ExperimentType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'Goal', experiment.goalId);
  }

  @FieldResolver(() => UserType, { description: 'Who created the experiment.' })
  owner(@Root() experiment: ExperimentType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', experiment.ownerId);
  }

  @FieldResolver(() => RunConnection, { description: 'Runs, newest first.' })
  runs(@Root() experiment: ExperimentType, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return childConnection(ctx, experimentRepository.runsOf, experiment.dbId, args);
  }

  @Mutation(() => CreateExperimentPayload, { description: 'DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER or ADMIN.' })
  async createExperiment(
    @Arg('input', () => CreateExperimentInput, { description: "The mutation's arguments." }) input: CreateExperimentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateExperimentPayload> {
    const experiment = await experimentService.create(ctx.service, input);
    return { experiment: await loadWritten(ctx, 'Experiment', experiment.id) };
  }

  @Mutation(() => EnsureExperimentPayload, {
    description:
      'Returns the experiment of that name under the goal, creating it if there is none. DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER or ADMIN.',
  })
  async ensureExperiment(
    @Arg('input', () => EnsureExperimentInput, { description: "The mutation's arguments." }) input: EnsureExperimentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<EnsureExperimentPayload> {
    const { experiment, created } = await experimentService.ensure(ctx.service, input);
    return { experiment: await loadWritten(ctx, 'Experiment', experiment.id), created };
  }

  @Mutation(() => LogMetricsPayload, {
    description: "Appends to each key's history; Run.metrics keeps the latest value per key. Same roles as logRun.",
  })
  async logMetrics(
    @Arg('input', () => LogMetricsInput, { description: "The mutation's arguments." }) input: LogMetricsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LogMetricsPayload> {
    const run = await experimentService.logMetrics(ctx.service, input);
    return { run: await loadWritten(ctx, 'Run', run.id) };
  }

  @Mutation(() => LogRunPayload, { description: 'DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER or ADMIN.' })
  async logRun(
    @Arg('input', () => LogRunInput, { description: "The mutation's arguments." }) input: LogRunInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LogRunPayload> {
    const run = await experimentService.logRun(ctx.service, input);
    return { run: await loadWritten(ctx, 'Run', run.id) };
  }

  @Mutation(() => UpdateRunPayload, { description: 'DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER or ADMIN. A closed run cannot run again.' })
  async updateRun(
    @Arg('input', () => UpdateRunInput, { description: "The mutation's arguments." }) input: UpdateRunInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<UpdateRunPayload> {
    const run = await experimentService.updateRun(ctx.service, input);
    return { run: await loadWritten(ctx, 'Run', run.id) };
  }
}

@Resolver(() => RunType)
export class RunResolver {
  @FieldResolver(() => ExperimentType, { description: 'The experiment the run belongs to.' })
  experiment(@Root() run: RunType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'Experiment', run.experimentId);
  }

  @FieldResolver(() => UserType, { description: 'Who logged the run.' })
  author(@Root() run: RunType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', run.authorId);
  }

  @FieldResolver(() => [MetricPointType], { description: 'Every value logged for the key, in step order (then timestamp): the first 1,000.' })
  metricHistory(
    @Root() run: RunType,
    @Arg('key', () => String, { description: "The metric's name, e.g. auc." }) key: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    return experimentRepository.metricHistory(ctx.reader, run.dbId, key, listCap('Run', 'metricHistory'));
  }
}
