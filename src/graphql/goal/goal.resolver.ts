import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { experimentRepository } from '../../domain/experiment/experiment.repository';
import { goalRepository } from '../../domain/goal/goal.repository';
import { goalService } from '../../domain/goal/goal.service';
import { modelRepository } from '../../domain/model/model.repository';
import { ConnectionArgs } from '../common/connection';
import { GoalStatus } from '../common/enums';
import { childConnection, rootConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { ExperimentConnection } from '../experiment/experiment.type';
import { unreadColumns, unreadColumnsInPage } from '../lookahead';
import { MODEL_COLUMNS, ModelConnection, ModelVersionType } from '../model/model.type';
import { loadNode, loadWritten } from '../nodes';
import { USER_COLUMNS, UserType } from '../user/user.type';
import {
  AddKpiInput,
  AddKpiPayload,
  CreateGoalInput,
  CreateGoalPayload,
  RecordKpiValueInput,
  RecordKpiValuePayload,
  RecordKpiValuesInput,
  RecordKpiValuesPayload,
  UpdateGoalInput,
  UpdateGoalPayload,
} from './goal.input';
import { GoalConnection, GoalType, KpiObservationConnection, KpiObservationType, KpiType } from './goal.type';

@ArgsType()
class GoalsArgs extends ConnectionArgs {
  @Field(() => GoalStatus, { nullable: true, description: 'Keeps goals in this status.' })
  status?: GoalStatus | null;
}

@Resolver(() => GoalType)
export class GoalResolver {
  @Query(() => GoalConnection, { description: 'Goals, newest first.' })
  goals(@Args(() => GoalsArgs) { status, ...args }: GoalsArgs, @Ctx() ctx: GraphQLContext) {
    return rootConnection(ctx, goalRepository.goals({ status }), args);
  }

  @FieldResolver(() => UserType, { description: 'Who owns the goal: its creator.' })
  owner(@Root() goal: GoalType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return loadNode(ctx, 'User', goal.ownerId, unreadColumns(info, USER_COLUMNS));
  }

  @FieldResolver(() => [KpiType], { description: 'In the order they were added; the first 10.' })
  kpis(@Root() goal: GoalType, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.capped(goalRepository.kpisOf).load(goal.dbId);
  }

  @FieldResolver(() => ModelConnection, { description: 'Models, newest first.' })
  models(@Root() goal: GoalType, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return childConnection(ctx, modelRepository.modelsOf, goal.dbId, args, unreadColumnsInPage(info, MODEL_COLUMNS));
  }

  @FieldResolver(() => ExperimentConnection, { description: 'Experiments, newest first.' })
  experiments(@Root() goal: GoalType, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return childConnection(ctx, experimentRepository.experimentsOf, goal.dbId, args);
  }

  @Mutation(() => CreateGoalPayload, { description: 'SME or ADMIN; the creator owns the goal.' })
  async createGoal(
    @Arg('input', () => CreateGoalInput, { description: "The mutation's arguments." }) input: CreateGoalInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateGoalPayload> {
    const goal = await goalService.create(ctx.service, input);
    return { goal: await loadWritten(ctx, 'Goal', goal.id) };
  }

  @Mutation(() => UpdateGoalPayload, { description: "The goal's owner or ADMIN." })
  async updateGoal(
    @Arg('input', () => UpdateGoalInput, { description: "The mutation's arguments." }) input: UpdateGoalInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<UpdateGoalPayload> {
    const goal = await goalService.update(ctx.service, input);
    return { goal: await loadWritten(ctx, 'Goal', goal.id) };
  }

  @Mutation(() => AddKpiPayload, { description: 'SME or ADMIN.' })
  async addKpi(
    @Arg('input', () => AddKpiInput, { description: "The mutation's arguments." }) input: AddKpiInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AddKpiPayload> {
    const kpi = await goalService.addKpi(ctx.service, input);
    return { kpi: await loadWritten(ctx, 'Kpi', kpi.id) };
  }

  @Mutation(() => RecordKpiValuePayload, { description: 'SME, DATA_SCIENTIST, ML_ENGINEER or ADMIN.' })
  async recordKpiValue(
    @Arg('input', () => RecordKpiValueInput, { description: "The mutation's arguments." }) input: RecordKpiValueInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecordKpiValuePayload> {
    const kpi = await goalService.recordKpiValue(ctx.service, input);
    return { kpi: await loadWritten(ctx, 'Kpi', kpi.id) };
  }

  @Mutation(() => RecordKpiValuesPayload, {
    description: 'SME, DATA_SCIENTIST, ML_ENGINEER or ADMIN. All-or-nothing; each value is credited to the version in production at its observedAt.',
  })
  async recordKpiValues(
    @Arg('input', () => RecordKpiValuesInput, { description: "The mutation's arguments." }) input: RecordKpiValuesInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecordKpiValuesPayload> {
    const { kpi, recorded, skipped } = await goalService.recordKpiValues(ctx.service, input);
    return { kpi: await loadWritten(ctx, 'Kpi', kpi.id), recorded, skipped };
  }
}

@Resolver(() => KpiType)
export class KpiResolver {
  @FieldResolver(() => GoalType, { description: 'The goal the KPI measures.' })
  goal(@Root() kpi: KpiType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'Goal', kpi.goalId);
  }

  @FieldResolver(() => KpiObservationConnection, { description: 'Recorded values, newest first.' })
  history(@Root() kpi: KpiType, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return childConnection(ctx, goalRepository.historyOf, kpi.dbId, args);
  }
}

@Resolver(() => KpiObservationType)
export class KpiObservationResolver {
  @FieldResolver(() => UserType, { description: 'Who recorded the value.' })
  recordedBy(@Root() observation: KpiObservationType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', observation.recordedById);
  }

  @FieldResolver(() => ModelVersionType, {
    nullable: true,
    description: 'The model version in production for the goal when the value was recorded, if any.',
  })
  modelVersion(@Root() observation: KpiObservationType, @Ctx() ctx: GraphQLContext) {
    return observation.modelVersionId === null ? null : loadNode(ctx, 'ModelVersion', observation.modelVersionId);
  }
}
