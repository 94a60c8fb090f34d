import { Arg, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { monitorRepository } from '../../domain/monitor/monitor.repository';
import { MAX_MONITORS_PER_GOAL, MAX_STREAK, monitorService } from '../../domain/monitor/monitor.service';
import type * as commands from '../../domain/monitor/monitor.service';
import { Severity } from '../common/lifecycle-enums';
import type { GraphQLContext } from '../context';
import { DriftFlagType } from '../drift/drift.type';
import { GoalType, KpiType } from '../goal/goal.type';
import { ModelType } from '../model/model.type';
import { loadNode, loadWritten } from '../nodes';
import { UserType } from '../user/user.type';
import { MonitorCondition, MonitorSource, MonitorType } from './monitor.type';

@InputType('CreateMonitorInput', { description: 'A new monitor: on a KPI of the goal, or on a metric of a model of the goal.' })
class CreateMonitorInput implements commands.CreateMonitorInput {
  @Field(() => ID, { description: 'The goal it belongs to.' })
  goalId!: string;

  @Field(() => String, { description: '1 to 200 characters.' })
  name!: string;

  @Field(() => MonitorSource, { description: 'What it watches.' })
  source!: MonitorSource;

  @Field(() => ID, { nullable: true, description: 'The KPI, for source KPI.' })
  kpiId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The model, for source VERSION_METRIC.' })
  modelId?: string | null;

  @Field(() => String, { nullable: true, description: 'The metric key, for source VERSION_METRIC; up to 200 characters.' })
  metricKey?: string | null;

  @Field(() => MonitorCondition, { description: 'When a value breaches it; WORSE_THAN_BASELINE_PCT only on a KPI with a non-zero baseline.' })
  condition!: MonitorCondition;

  @Field(() => Float, { description: 'The limit; a percentage (0 or more) for WORSE_THAN_BASELINE_PCT.' })
  threshold!: number;

  @Field(() => Int, { nullable: true, description: `Breaching observations in a row before a flag is raised: 1 (default) to ${MAX_STREAK}.` })
  window?: number | null;

  @Field(() => Severity, { description: 'The severity of the flags it raises.' })
  severity!: Severity;

  @Field(() => Int, {
    nullable: true,
    description: `Healthy observations in a row after which it resolves its open flag, 1 to ${MAX_STREAK}; null: never.`,
  })
  autoResolveAfter?: number | null;
}

@ObjectType('CreateMonitorPayload', { simpleResolvers: true, description: 'The monitor created.' })
class CreateMonitorPayload {
  @Field(() => MonitorType, { description: 'The new monitor, active.' })
  monitor!: MonitorType;
}

@InputType('UpdateMonitorInput', { description: "Changes to a monitor's rule; fields left out stay as they are." })
class UpdateMonitorInput implements commands.UpdateMonitorInput {
  @Field(() => ID, { description: 'The monitor to change.' })
  monitorId!: string;

  @Field(() => String, { nullable: true, description: '1 to 200 characters.' })
  name?: string | null;

  @Field(() => Float, { nullable: true, description: 'The new limit.' })
  threshold?: number | null;

  @Field(() => Int, { nullable: true, description: `Breaching observations in a row before a flag is raised, 1 to ${MAX_STREAK}.` })
  window?: number | null;

  @Field(() => Severity, { nullable: true, description: 'The severity of the flags it raises from now on.' })
  severity?: Severity | null;

  @Field(() => Int, {
    nullable: true,
    description: `Healthy observations in a row after which it resolves its open flag, up to ${MAX_STREAK}; 0 turns auto-resolving off.`,
  })
  autoResolveAfter?: number | null;
}

@ObjectType('UpdateMonitorPayload', { simpleResolvers: true, description: 'The monitor after the change.' })
class UpdateMonitorPayload {
  @Field(() => MonitorType, { description: 'The monitor.' })
  monitor!: MonitorType;
}

@InputType('PauseMonitorInput', { description: 'Pausing or resuming a monitor.' })
class PauseMonitorInput implements commands.PauseMonitorInput {
  @Field(() => ID, { description: 'The monitor.' })
  monitorId!: string;

  @Field(() => Boolean, { description: 'true pauses it, false resumes it (its streaks start afresh).' })
  paused!: boolean;
}

@ObjectType('PauseMonitorPayload', { simpleResolvers: true, description: 'The monitor after pausing or resuming it.' })
class PauseMonitorPayload {
  @Field(() => MonitorType, { description: 'The monitor.' })
  monitor!: MonitorType;
}

@InputType('DeleteMonitorInput', { description: 'Deleting a monitor; the flags it raised stay.' })
class DeleteMonitorInput {
  @Field(() => ID, { description: 'The monitor to delete.' })
  monitorId!: string;
}

@ObjectType('DeleteMonitorPayload', { simpleResolvers: true, description: 'What was deleted.' })
class DeleteMonitorPayload {
  @Field(() => ID, { description: 'The global ID of the deleted monitor.' })
  monitorId!: string;
}

@Resolver(() => MonitorType)
export class MonitorResolver {
  @FieldResolver(() => GoalType, { description: 'The goal it belongs to.' })
  goal(@Root() monitor: MonitorType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'Goal', monitor.goalId);
  }

  @FieldResolver(() => KpiType, { nullable: true, description: 'The KPI it watches; null for VERSION_METRIC.' })
  kpi(@Root() monitor: MonitorType, @Ctx() ctx: GraphQLContext) {
    return monitor.kpiId == null ? null : loadNode(ctx, 'Kpi', monitor.kpiId);
  }

  @FieldResolver(() => ModelType, { nullable: true, description: 'The model whose versions it watches; null for KPI.' })
  model(@Root() monitor: MonitorType, @Ctx() ctx: GraphQLContext) {
    return monitor.modelId == null ? null : loadNode(ctx, 'Model', monitor.modelId);
  }

  @FieldResolver(() => UserType, { description: 'Who created it; the flags it raises are raised in their name.' })
  createdBy(@Root() monitor: MonitorType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', monitor.createdById);
  }

  @Mutation(() => CreateMonitorPayload, { description: `SME, DATA_SCIENTIST or ADMIN; at most ${MAX_MONITORS_PER_GOAL} per goal.` })
  async createMonitor(
    @Arg('input', () => CreateMonitorInput, { description: "The mutation's arguments." }) input: CreateMonitorInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateMonitorPayload> {
    const monitor = await monitorService.create(ctx.service, input);
    return { monitor: await loadWritten(ctx, 'Monitor', monitor.id) };
  }

  @Mutation(() => UpdateMonitorPayload, { description: 'SME, DATA_SCIENTIST or ADMIN.' })
  async updateMonitor(
    @Arg('input', () => UpdateMonitorInput, { description: "The mutation's arguments." }) input: UpdateMonitorInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<UpdateMonitorPayload> {
    const monitor = await monitorService.update(ctx.service, input);
    return { monitor: await loadWritten(ctx, 'Monitor', monitor.id) };
  }

  @Mutation(() => PauseMonitorPayload, { description: 'SME, DATA_SCIENTIST or ADMIN.' })
  async pauseMonitor(
    @Arg('input', () => PauseMonitorInput, { description: "The mutation's arguments." }) input: PauseMonitorInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PauseMonitorPayload> {
    const monitor = await monitorService.pause(ctx.service, input);
    return { monitor: await loadWritten(ctx, 'Monitor', monitor.id) };
  }

  @Mutation(() => DeleteMonitorPayload, { description: 'SME, DATA_SCIENTIST or ADMIN; the flags it raised stay.' })
  async deleteMonitor(
    @Arg('input', () => DeleteMonitorInput, { description: "The mutation's arguments." }) input: DeleteMonitorInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DeleteMonitorPayload> {
    await monitorService.delete(ctx.service, input.monitorId);
    return { monitorId: input.monitorId };
  }
}

/** What monitors add to goals. */
@Resolver(() => GoalType)
export class GoalMonitorResolver {
  @FieldResolver(() => [MonitorType], { description: `Its monitors, in the order they were created (at most ${MAX_MONITORS_PER_GOAL}).` })
  monitors(@Root() goal: GoalType, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.children(monitorRepository.monitorsOf).load(goal.dbId);
  }
}

/** What monitors add to drift flags. */
@Resolver(() => DriftFlagType)
export class DriftFlagMonitorResolver {
  @FieldResolver(() => MonitorType, {
    nullable: true,
    description: 'The monitor that raised it, for origin MONITOR; null for flags by people, or once the monitor is deleted.',
  })
  monitor(@Root() flag: DriftFlagType, @Ctx() ctx: GraphQLContext) {
    return flag.monitorId == null ? null : loadNode(ctx, 'Monitor', flag.monitorId);
  }
}
