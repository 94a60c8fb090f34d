import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  Float,
  ID,
  Info,
  InputType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { driftRepository } from '../../domain/drift/drift.repository';
import { driftService, MAX_FLAGGED_VERSIONS } from '../../domain/drift/drift.service';
import { dbId } from '../../domain/ids';
import { ConnectionArgs } from '../common/connection';
import { DriftKind, DriftStatus, Severity } from '../common/lifecycle-enums';
import { rootConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { ModelType, ModelVersionType } from '../model/model.type';
import { unreadColumns } from '../lookahead';
import { loadNode, loadWritten } from '../nodes';
import { UserType } from '../user/user.type';
import { DRIFT_FLAG_COLUMNS, DriftFlagConnection, DriftFlagType } from './drift.type';
import type * as commands from '../../domain/drift/drift.service';

@InputType('FlagDriftInput', { description: 'A drift seen on a model version.' })
class FlagDriftInput implements commands.FlagDriftInput {
  @Field(() => ID, { description: 'The model version that drifted.' })
  modelVersionId!: string;

  @Field(() => DriftKind, { description: 'What drifted.' })
  kind!: DriftKind;

  @Field(() => Severity, { description: 'How urgent it is.' })
  severity!: Severity;

  @Field(() => String, { description: '1 to 5,000 characters.' })
  description!: string;

  @Field(() => String, { nullable: true, description: 'The metric that shows the drift, up to 200 characters; null: none in particular.' })
  metric?: string | null;

  @Field(() => Float, { nullable: true, description: "The value observed, in the metric's unit; a finite number." })
  observed?: number | null;

  @Field(() => Float, { nullable: true, description: "The value expected, in the metric's unit; a finite number." })
  expected?: number | null;
}

@ObjectType('FlagDriftPayload', { simpleResolvers: true, description: 'The flag raised.' })
class FlagDriftPayload {
  @Field(() => DriftFlagType, { description: 'The new flag, OPEN.' })
  driftFlag!: DriftFlagType;
}

@InputType('FlagDriftManyInput', { description: 'The same drift on many versions: those of a goal in PRODUCTION, or a list.' })
class FlagDriftManyInput implements commands.FlagDriftManyInput {
  @Field(() => ID, { nullable: true, description: 'Every version in PRODUCTION under this goal.' })
  goalId?: string | null;

  @Field(() => [ID], { nullable: true, description: `Or these versions (at most ${MAX_FLAGGED_VERSIONS}).` })
  modelVersionIds?: string[] | null;

  @Field(() => DriftKind, { description: 'What drifted.' })
  kind!: DriftKind;

  @Field(() => Severity, { description: 'How bad it is.' })
  severity!: Severity;

  @Field(() => String, { description: '1 to 5,000 characters.' })
  description!: string;
}

@ObjectType('FlagDriftManyPayload', { simpleResolvers: true, description: 'The flags, one per version.' })
class FlagDriftManyPayload {
  @Field(() => [DriftFlagType], { description: 'New flags, or your identical open ones, in the order of the versions.' })
  driftFlags!: DriftFlagType[];
}

@InputType('AcknowledgeDriftInput', { description: 'Taking on an OPEN drift flag.' })
class AcknowledgeDriftInput implements commands.AcknowledgeDriftInput {
  @Field(() => ID, { description: 'The flag to acknowledge.' })
  driftFlagId!: string;

  @Field(() => String, { nullable: true, description: 'Optional note, up to 10,000 characters.' })
  comment?: string | null;
}

@ObjectType('AcknowledgeDriftPayload', { simpleResolvers: true, description: 'The flag after acknowledging it.' })
class AcknowledgeDriftPayload {
  @Field(() => DriftFlagType, { description: 'The flag, now ACKNOWLEDGED.' })
  driftFlag!: DriftFlagType;
}

@InputType('ResolveDriftInput', { description: 'Closing a drift flag, saying how it was dealt with.' })
class ResolveDriftInput implements commands.ResolveDriftInput {
  @Field(() => ID, { description: 'The flag to resolve.' })
  driftFlagId!: string;

  @Field(() => String, { description: 'How it was dealt with, 1 to 10,000 characters.' })
  resolution!: string;
}

@ObjectType('ResolveDriftPayload', { simpleResolvers: true, description: 'The flag after resolving it.' })
class ResolveDriftPayload {
  @Field(() => DriftFlagType, { description: 'The flag, now RESOLVED.' })
  driftFlag!: DriftFlagType;
}

@ArgsType()
class DriftFlagsArgs extends ConnectionArgs {
  @Field(() => DriftStatus, { nullable: true, description: 'Keeps flags in this status.' })
  status?: DriftStatus | null;

  @Field(() => Severity, { nullable: true, description: 'Keeps flags at least this severe.' })
  minSeverity?: Severity | null;

  @Field(() => ID, { nullable: true, description: 'Keeps flags on versions of this model.' })
  modelId?: string | null;
}

@Resolver(() => DriftFlagType)
export class DriftResolver {
  @Query(() => DriftFlagConnection, { description: 'Drift flags, newest first.' })
  driftFlags(@Args(() => DriftFlagsArgs) { status, minSeverity, modelId, ...args }: DriftFlagsArgs, @Ctx() ctx: GraphQLContext) {
    return rootConnection(ctx, driftRepository.flags({ status, minSeverity, modelId: modelId ? dbId('Model', modelId) : null }), args);
  }

  @FieldResolver(() => ModelVersionType, { description: 'The model version that drifted.' })
  modelVersion(@Root() flag: DriftFlagType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'ModelVersion', flag.modelVersionId);
  }

  @FieldResolver(() => UserType, { description: 'Who raised the flag.' })
  raisedBy(@Root() flag: DriftFlagType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', flag.raisedById);
  }

  @Mutation(() => FlagDriftManyPayload, {
    description: 'All-or-nothing; an identical open flag by the same person is returned instead of a new one.',
  })
  async flagDriftMany(
    @Arg('input', () => FlagDriftManyInput, { description: "The mutation's arguments." }) input: FlagDriftManyInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<FlagDriftManyPayload> {
    const flags = await driftService.flagMany(ctx.service, input);
    return { driftFlags: await Promise.all(flags.map((f) => loadWritten<DriftFlagType>(ctx, 'DriftFlag', f.id))) };
  }

  @Mutation(() => FlagDriftPayload, { description: 'Any authenticated user, on any version.' })
  async flagDrift(
    @Arg('input', () => FlagDriftInput, { description: "The mutation's arguments." }) input: FlagDriftInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<FlagDriftPayload> {
    const flag = await driftService.flag(ctx.service, input);
    return { driftFlag: await loadWritten(ctx, 'DriftFlag', flag.id) };
  }

  @Mutation(() => AcknowledgeDriftPayload, { description: 'DATA_SCIENTIST, ML_ENGINEER or ADMIN; only an OPEN flag.' })
  async acknowledgeDrift(
    @Arg('input', () => AcknowledgeDriftInput, { description: "The mutation's arguments." }) input: AcknowledgeDriftInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AcknowledgeDriftPayload> {
    const flag = await driftService.acknowledge(ctx.service, input);
    return { driftFlag: await loadWritten(ctx, 'DriftFlag', flag.id) };
  }

  @Mutation(() => ResolveDriftPayload, { description: 'DATA_SCIENTIST, ML_ENGINEER or ADMIN; from OPEN or ACKNOWLEDGED.' })
  async resolveDrift(
    @Arg('input', () => ResolveDriftInput, { description: "The mutation's arguments." }) input: ResolveDriftInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ResolveDriftPayload> {
    const flag = await driftService.resolve(ctx.service, input);
    return { driftFlag: await loadWritten(ctx, 'DriftFlag', flag.id) };
  }
}

/** What the drift aggregate adds to models and versions. */
@Resolver(() => ModelType)
export class ModelDriftResolver {
  @FieldResolver(() => [DriftFlagType], {
    description:
      'Flags not yet resolved, of all versions, most severe first, then newest; the first 10 (all of them: `driftFlags(modelId:, status: OPEN)`).',
  })
  openDriftFlags(@Root() model: ModelType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.capped(driftRepository.openFlagsOfModel, unreadColumns(info, DRIFT_FLAG_COLUMNS)).load(model.dbId);
  }
}

@Resolver(() => ModelVersionType)
export class ModelVersionDriftResolver {
  @FieldResolver(() => [DriftFlagType], { description: "Newest first; the first 10 (all of the model's: `driftFlags(modelId:)`)." })
  driftFlags(
    @Root() version: ModelVersionType,
    @Arg('status', () => DriftStatus, { nullable: true, description: 'Keeps flags in this status.' }) status: DriftStatus | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return ctx.loaders.capped(driftRepository.flagsOfVersion(status)).load(version.dbId);
  }
}
