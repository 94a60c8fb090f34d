import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Float, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { driftRepository } from '../../domain/drift/drift.repository';
import { driftService, MAX_FLAGGED_VERSIONS } from '../../domain/drift/drift.service';
import { dbId } from '../../domain/ids';
import { ConnectionArgs } from '../common/connection';
import { DriftKind, DriftStatus, Severity } from '../common/lifecycle-enums';
import { rootConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { ModelType, ModelVersionType } from '../model/model.type';
import { loadNode, loadWritten } from '../nodes';
import { UserType } from '../user/user.type';
import { DriftFlagConnection, DriftFlagType } from './drift.type';
import type * as commands from '../../domain/drift/drift.service';

@InputType('FlagDriftInput')
class FlagDriftInput implements commands.FlagDriftInput {
  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => DriftKind)
  kind!: DriftKind;

  @Field(() => Severity)
  severity!: Severity;

  @Field(() => String, { description: '1 to 5,000 characters.' })
  description!: string;

  @Field(() => String, { nullable: true })
  metric?: string | null;

  @Field(() => Float, { nullable: true })
  observed?: number | null;

  @Field(() => Float, { nullable: true })
  expected?: number | null;
}

@ObjectType('FlagDriftPayload', { simpleResolvers: true })
class FlagDriftPayload {
  @Field(() => DriftFlagType)
  driftFlag!: DriftFlagType;
}

@InputType('FlagDriftManyInput')
class FlagDriftManyInput implements commands.FlagDriftManyInput {
  @Field(() => ID, { nullable: true, description: 'Every version in PRODUCTION under this goal.' })
  goalId?: string | null;

  @Field(() => [ID], { nullable: true, description: `Or these versions (at most ${MAX_FLAGGED_VERSIONS}).` })
  modelVersionIds?: string[] | null;

  @Field(() => DriftKind)
  kind!: DriftKind;

  @Field(() => Severity)
  severity!: Severity;

  @Field(() => String, { description: '1 to 5,000 characters.' })
  description!: string;
}

@ObjectType('FlagDriftManyPayload', { simpleResolvers: true })
class FlagDriftManyPayload {
  @Field(() => [DriftFlagType])
  driftFlags!: DriftFlagType[];
}

@InputType('AcknowledgeDriftInput')
class AcknowledgeDriftInput implements commands.AcknowledgeDriftInput {
  @Field(() => ID)
  driftFlagId!: string;

  @Field(() => String, { nullable: true })
  comment?: string | null;
}

@ObjectType('AcknowledgeDriftPayload', { simpleResolvers: true })
class AcknowledgeDriftPayload {
  @Field(() => DriftFlagType)
  driftFlag!: DriftFlagType;
}

@InputType('ResolveDriftInput')
class ResolveDriftInput implements commands.ResolveDriftInput {
  @Field(() => ID)
  driftFlagId!: string;

  @Field(() => String)
  resolution!: string;
}

@ObjectType('ResolveDriftPayload', { simpleResolvers: true })
class ResolveDriftPayload {
  @Field(() => DriftFlagType)
  driftFlag!: DriftFlagType;
}

@ArgsType()
class DriftFlagsArgs extends ConnectionArgs {
  @Field(() => DriftStatus, { nullable: true })
  status?: DriftStatus | null;

  @Field(() => Severity, { nullable: true, description: 'Keeps flags at least this severe.' })
  minSeverity?: Severity | null;

  @Field(() => ID, { nullable: true })
  modelId?: string | null;
}

@Resolver(() => DriftFlagType)
export class DriftResolver {
  @Query(() => DriftFlagConnection, { description: 'Drift flags, newest first.' })
  driftFlags(@Args(() => DriftFlagsArgs) { status, minSeverity, modelId, ...args }: DriftFlagsArgs, @Ctx() ctx: GraphQLContext) {
    return rootConnection(ctx, driftRepository.flags({ status, minSeverity, modelId: modelId ? dbId('Model', modelId) : null }), args);
  }

  @FieldResolver(() => ModelVersionType)
  modelVersion(@Root() flag: DriftFlagType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'ModelVersion', flag.modelVersionId);
  }

  @FieldResolver(() => UserType)
  raisedBy(@Root() flag: DriftFlagType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', flag.raisedById);
  }

  @Mutation(() => FlagDriftManyPayload, { description: 'All-or-nothing; an identical open flag by the same person is returned instead of a new one.' })
  async flagDriftMany(@Arg('input', () => FlagDriftManyInput) input: FlagDriftManyInput, @Ctx() ctx: GraphQLContext): Promise<FlagDriftManyPayload> {
    const flags = await driftService.flagMany(ctx.service, input);
    return { driftFlags: await Promise.all(flags.map((f) => loadWritten<DriftFlagType>(ctx, 'DriftFlag', f.id))) };
  }

  @Mutation(() => FlagDriftPayload, { description: 'Any authenticated user, on any version.' })
  async flagDrift(@Arg('input', () => FlagDriftInput) input: FlagDriftInput, @Ctx() ctx: GraphQLContext): Promise<FlagDriftPayload> {
    const flag = await driftService.flag(ctx.service, input);
    return { driftFlag: await loadWritten(ctx, 'DriftFlag', flag.id) };
  }

  @Mutation(() => AcknowledgeDriftPayload, { description: 'DATA_SCIENTIST, ML_ENGINEER or ADMIN; only an OPEN flag.' })
  async acknowledgeDrift(@Arg('input', () => AcknowledgeDriftInput) input: AcknowledgeDriftInput, @Ctx() ctx: GraphQLContext): Promise<AcknowledgeDriftPayload> {
    const flag = await driftService.acknowledge(ctx.service, input);
    return { driftFlag: await loadWritten(ctx, 'DriftFlag', flag.id) };
  }

  @Mutation(() => ResolveDriftPayload, { description: 'DATA_SCIENTIST, ML_ENGINEER or ADMIN; from OPEN or ACKNOWLEDGED.' })
  async resolveDrift(@Arg('input', () => ResolveDriftInput) input: ResolveDriftInput, @Ctx() ctx: GraphQLContext): Promise<ResolveDriftPayload> {
    const flag = await driftService.resolve(ctx.service, input);
    return { driftFlag: await loadWritten(ctx, 'DriftFlag', flag.id) };
  }
}

/** What the drift aggregate adds to models and versions. */
@Resolver(() => ModelType)
export class ModelDriftResolver {
  @FieldResolver(() => [DriftFlagType], { description: 'Flags not yet resolved, of all versions, most severe first, then newest.' })
  openDriftFlags(@Root() model: ModelType, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.children(driftRepository.openFlagsOfModel).load(model.dbId);
  }
}

@Resolver(() => ModelVersionType)
export class ModelVersionDriftResolver {
  @FieldResolver(() => [DriftFlagType], { description: 'Newest first.' })
  driftFlags(@Root() version: ModelVersionType, @Arg('status', () => DriftStatus, { nullable: true }) status: DriftStatus | null, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.children(driftRepository.flagsOfVersion(status)).load(version.dbId);
  }
}
