import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Float, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { DriftFlag, SEVERITY_RANK } from '../../domain/drift/drift-flag.entity';
import { driftService } from '../../domain/drift/drift.service';
import { dbId } from '../../domain/ids';
import { NEWEST_FIRST } from '../../db/reader';
import { ConnectionArgs } from '../common/connection';
import { DriftKind, DriftStatus, Severity } from '../common/lifecycle-enums';
import { rootConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { ModelVersionType } from '../model/model.type';
import { loadNode, loadWritten } from '../relations';
import { UserType } from '../user/user.type';
import { DriftFlagConnection, DriftFlagType } from './drift.type';

@InputType('FlagDriftInput')
class FlagDriftInput {
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

@InputType('AcknowledgeDriftInput')
class AcknowledgeDriftInput {
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
class ResolveDriftInput {
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
    const model = modelId ? dbId('Model', modelId) : null;
    return rootConnection(ctx, DriftFlag, (qb) => {
      if (status) qb.where('status', status);
      if (minSeverity) qb.where('severity_rank', '>=', SEVERITY_RANK[minSeverity]);
      if (model !== null) qb.where('model_id', model);
    }, NEWEST_FIRST, args, DriftFlagType.prototype);
  }

  @FieldResolver(() => ModelVersionType)
  modelVersion(@Root() flag: DriftFlagType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'ModelVersion', flag.modelVersionId);
  }

  @FieldResolver(() => UserType)
  raisedBy(@Root() flag: DriftFlagType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', flag.raisedById);
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
