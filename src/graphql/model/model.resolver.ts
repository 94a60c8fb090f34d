import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import { existingId } from '../../domain/lookup';
import type { Run } from '../../domain/experiment/run.entity';
import { evidenceDigestOfRow } from '../../domain/model/evidence';
import type { ModelVersion } from '../../domain/model/model-version.entity';
import { modelRepository } from '../../domain/model/model.repository';
import { modelService } from '../../domain/model/model.service';
import { LIMITS, optionalText } from '../../domain/validate';
import { ConnectionArgs } from '../common/connection';
import { Stage } from '../common/enums';
import { childConnection, rootConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { RUN_COLUMNS, RunType } from '../experiment/experiment.type';
import { GoalType } from '../goal/goal.type';
import { omitKey } from '../loaders';
import { unreadColumns } from '../lookahead';
import { loadNode, loadWritten } from '../nodes';
import { USER_COLUMNS, UserType } from '../user/user.type';
import {
  CreateModelVersionInput,
  CreateModelVersionPayload,
  EnsureModelInput,
  EnsureModelPayload,
  RegisterModelInput,
  RegisterModelPayload,
  UpdateModelInput,
  UpdateModelPayload,
  UpdateModelVersionInput,
  UpdateModelVersionPayload,
} from './model.input';
import { ModelConnection, ModelType, ModelVersionConnection, ModelVersionType, VERSION_COLUMNS } from './model.type';

@ArgsType()
class ModelsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Keeps the models of this goal.' })
  goalId?: string | null;

  @Field(() => Stage, { nullable: true, description: 'Keeps the models that have a version in this stage.' })
  stage?: Stage | null;
}

@InputType('ModelFilter', { description: 'All given conditions must hold.' })
class ModelFilterInput {
  @Field(() => ID, { nullable: true, description: 'Models of this goal.' })
  goalId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Models this user owns.' })
  ownerId?: string | null;

  @Field(() => String, { nullable: true, description: `Case-insensitive substring of the name or description (at most ${LIMITS.name} characters).` })
  search?: string | null;

  @Field(() => Stage, { nullable: true, description: 'Models with a version in this stage.' })
  stage?: Stage | null;

  @Field(() => Boolean, { nullable: true, description: 'Models with (true) or without (false) an unresolved drift flag.' })
  hasOpenDrift?: boolean | null;
}

@ArgsType()
class ModelSearchArgs extends ConnectionArgs {
  @Field(() => ModelFilterInput, { nullable: true, description: 'The conditions; null: every model.' })
  filter?: ModelFilterInput | null;
}

@ArgsType()
class VersionsArgs extends ConnectionArgs {
  @Field(() => Stage, { nullable: true, description: 'Keeps the versions in this stage.' })
  stage?: Stage | null;
}

/** A version by its number, without the columns `info`'s selection does not read. */
function versionByNumber(ctx: GraphQLContext, info: GraphQLResolveInfo, modelId: number, number: number): Promise<RowOf<ModelVersion> | null> {
  const omit = unreadColumns(info, VERSION_COLUMNS);
  return ctx.loaders
    .get(`model.versionByNumber${omitKey(omit)}`, async (keys: readonly string[]) => {
      const pairs = keys.map((k) => k.split(':').map(Number) as [number, number]);
      const found = await modelRepository.versionsByNumber(ctx.reader, pairs, omit);
      return keys.map((k) => found.get(k) ?? null);
    })
    .load(`${modelId}:${number}`);
}

@Resolver(() => ModelType)
export class ModelResolver {
  @Query(() => ModelConnection, { description: 'Models, newest first; `stage` keeps the models that have a version in that stage.' })
  async models(@Args(() => ModelsArgs) { goalId, stage, ...args }: ModelsArgs, @Ctx() ctx: GraphQLContext) {
    const goal = goalId ? await existingId(ctx.reader, 'Goal', goalId) : null;
    return rootConnection(ctx, modelRepository.models({ goalId: goal, stage }), args);
  }

  @Query(() => ModelConnection, { description: 'Models matching every given condition, newest first.' })
  async modelSearch(@Args(() => ModelSearchArgs) { filter, ...args }: ModelSearchArgs, @Ctx() ctx: GraphQLContext) {
    const search = optionalText('search', filter?.search, LIMITS.name);
    return rootConnection(
      ctx,
      modelRepository.search({
        goalId: filter?.goalId ? await existingId(ctx.reader, 'Goal', filter.goalId) : null,
        ownerId: filter?.ownerId ? await existingId(ctx.reader, 'User', filter.ownerId) : null,
        search,
        stage: filter?.stage,
        hasOpenDrift: filter?.hasOpenDrift,
      }),
      args,
    );
  }

  @Query(() => ModelType, { nullable: true, description: 'A model by its unique name; null when there is none.' })
  async modelByName(@Arg('name', () => String, { description: "The model's name." }) name: string, @Ctx() ctx: GraphQLContext) {
    return modelRepository.byName(ctx.reader, name);
  }

  @FieldResolver(() => GoalType, { description: 'The goal the model serves.' })
  goal(@Root() model: ModelType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'Goal', model.goalId);
  }

  @FieldResolver(() => UserType, { description: 'Who registered the model.' })
  owner(@Root() model: ModelType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return loadNode(ctx, 'User', model.ownerId, unreadColumns(info, USER_COLUMNS));
  }

  @FieldResolver(() => ModelVersionConnection, { description: 'Versions, highest number first.' })
  versions(@Root() model: ModelType, @Args(() => VersionsArgs) { stage, ...args }: VersionsArgs, @Ctx() ctx: GraphQLContext) {
    return childConnection(ctx, modelRepository.versionsOf(stage), model.dbId, args);
  }

  @FieldResolver(() => ModelVersionType, { nullable: true, description: 'One version by its number.' })
  version(
    @Root() model: ModelType,
    @Arg('number', () => Int, { description: 'The version number, from 1.' }) number: number,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return number >= 1 && number <= model.versionCount ? versionByNumber(ctx, info, model.dbId, number) : null;
  }

  @FieldResolver(() => ModelVersionType, { nullable: true, description: 'The version with the highest number.' })
  latestVersion(@Root() model: ModelType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return model.versionCount > 0 ? versionByNumber(ctx, info, model.dbId, model.versionCount) : null;
  }

  @FieldResolver(() => ModelVersionType, { nullable: true, description: 'The version in PRODUCTION; null when there is none.' })
  productionVersion(@Root() model: ModelType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    const omit = unreadColumns(info, VERSION_COLUMNS);
    return ctx.loaders
      .get(`model.productionVersion${omitKey(omit)}`, async (ids: readonly number[]) => {
        const found = await modelRepository.productionVersions(ctx.reader, ids, omit);
        return ids.map((id) => found.get(id) ?? null);
      })
      .load(model.dbId);
  }

  @Mutation(() => RegisterModelPayload, { description: 'DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER or ADMIN. Names are unique.' })
  async registerModel(
    @Arg('input', () => RegisterModelInput, { description: "The mutation's arguments." }) input: RegisterModelInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RegisterModelPayload> {
    const model = await modelService.register(ctx.service, input);
    return { model: await loadWritten(ctx, 'Model', model.id) };
  }

  @Mutation(() => EnsureModelPayload, {
    description:
      'The model of that name under the goal, registering it if there is none (CONFLICT when another goal has it). Same roles as registerModel.',
  })
  async ensureModel(
    @Arg('input', () => EnsureModelInput, { description: "The mutation's arguments." }) input: EnsureModelInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<EnsureModelPayload> {
    const { model, created } = await modelService.ensure(ctx.service, input);
    return { model: await loadWritten(ctx, 'Model', model.id), created };
  }

  @Mutation(() => UpdateModelPayload, { description: 'Data scientists, data engineers, ML engineers and admins, like registerModel.' })
  async updateModel(
    @Arg('input', () => UpdateModelInput, { description: "The mutation's arguments." }) input: UpdateModelInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<UpdateModelPayload> {
    const model = await modelService.update(ctx.service, input);
    return { model: await loadWritten(ctx, 'Model', model.id) };
  }

  @Mutation(() => CreateModelVersionPayload, { description: 'DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER or ADMIN. Numbers go 1, 2, 3… per model.' })
  async createModelVersion(
    @Arg('input', () => CreateModelVersionInput, { description: "The mutation's arguments." }) input: CreateModelVersionInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateModelVersionPayload> {
    const version = await modelService.createVersion(ctx.service, input);
    return { modelVersion: await loadWritten(ctx, 'ModelVersion', version.id) };
  }

  @Mutation(() => UpdateModelVersionPayload, { description: 'Data scientists, data engineers, ML engineers and admins, like createModelVersion.' })
  async updateModelVersion(
    @Arg('input', () => UpdateModelVersionInput, { description: "The mutation's arguments." }) input: UpdateModelVersionInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<UpdateModelVersionPayload> {
    const version = await modelService.updateVersion(ctx.service, input);
    return { modelVersion: await loadWritten(ctx, 'ModelVersion', version.id) };
  }
}

@Resolver(() => ModelVersionType)
export class ModelVersionResolver {
  @FieldResolver(() => ModelType, { description: 'The model this is a version of.' })
  model(@Root() version: ModelVersionType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'Model', version.modelId);
  }

  @FieldResolver(() => RunType, { nullable: true, description: 'The run that produced this version: its params, data and code.' })
  run(@Root() version: ModelVersionType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return version.runId === null ? null : loadNode(ctx, 'Run', version.runId, unreadColumns(info, RUN_COLUMNS));
  }

  @FieldResolver(() => UserType, { description: 'Who created the version.' })
  createdBy(@Root() version: ModelVersionType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, 'User', version.createdById);
  }

  @FieldResolver(() => String, { description: "sha256 (hex) over the canonical JSON of the version's frozen evidence." })
  async evidenceDigest(@Root() version: ModelVersionType, @Ctx() ctx: GraphQLContext) {
    const run = version.runId === null ? null : await loadNode<RowOf<Run>>(ctx, 'Run', version.runId);
    return evidenceDigestOfRow(version as unknown as RowOf<ModelVersion>, run);
  }

  @FieldResolver(() => Boolean, { description: 'True once a request for this version is pending or it has reached STAGING or PRODUCTION.' })
  evidenceFrozen(@Root() version: ModelVersionType) {
    return version.evidenceFrozenAt !== null;
  }
}
