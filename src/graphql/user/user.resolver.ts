import { Arg, Args, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { userRepository } from '../../domain/user/user.repository';
import { userService } from '../../domain/user/user.service';
import { ConnectionArgs } from '../common/connection';
import { Role } from '../common/enums';
import { rootConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { loadWritten } from '../nodes';
import { UserConnection, UserType } from './user.type';
import type * as commands from '../../domain/user/user.service';

@InputType('CreateUserInput', { description: 'A new user: who they are and what they may do.' })
class CreateUserInput implements commands.CreateUserInput {
  @Field(() => String, { description: 'Display name, 1 to 200 characters.' })
  name!: string;

  @Field(() => String, { description: 'Email address, unique among users.' })
  email!: string;

  @Field(() => [Role], { description: 'At least one role.' })
  roles!: Role[];

  @Field(() => String, { nullable: true, description: 'A Slack member ID (e.g. U012AB3CD) to link, unique among users; null: not linked.' })
  slackUserId?: string | null;
}

@ObjectType('CreateUserPayload', { simpleResolvers: true, description: 'The user created and their API token.' })
class CreateUserPayload {
  @Field(() => UserType, { description: 'The new user.' })
  user!: UserType;

  @Field(() => String, { description: 'Shown once; only its hash is stored.' })
  token!: string;
}

@InputType('CreateServiceAccountInput', { description: 'A new service account.' })
class CreateServiceAccountInput implements commands.CreateServiceAccountInput {
  @Field(() => String, { description: 'Unique among service accounts, e.g. "training-pipeline".' })
  name!: string;

  @Field(() => [Role], { description: 'What the account may do; at least one role.' })
  roles!: Role[];

  @Field(() => Date, { nullable: true, description: 'When its token stops working; default never.' })
  expiresAt?: Date | null;
}

@ObjectType('CreateServiceAccountPayload', { simpleResolvers: true, description: 'The service account created, with its first token.' })
class CreateServiceAccountPayload {
  @Field(() => UserType, { description: 'The new service account; its kind is SERVICE.' })
  user!: UserType;

  @Field(() => String, { description: 'Shown once.' })
  token!: string;
}

@InputType('UpdateUserInput', { description: 'Changes to a user; fields left out or null stay as they are, except slackUserId.' })
class UpdateUserInput implements commands.UpdateUserInput {
  @Field(() => ID, { description: 'The user to change.' })
  userId!: string;

  @Field(() => String, { nullable: true, description: 'New display name, 1 to 200 characters.' })
  name?: string | null;

  @Field(() => [Role], { nullable: true, description: 'Replaces all roles.' })
  roles?: Role[] | null;

  @Field(() => String, { nullable: true, description: 'A Slack member ID to link; null or "" unlinks.' })
  slackUserId?: string | null;
}

@ObjectType('UpdateUserPayload', { simpleResolvers: true, description: 'The user after the change.' })
class UpdateUserPayload {
  @Field(() => UserType, { description: 'The user as changed.' })
  user!: UserType;
}

@Resolver(() => UserType)
export class UserResolver {
  @Query(() => UserType, { description: 'The authenticated user.' })
  viewer(@Ctx() ctx: GraphQLContext) {
    return loadWritten(ctx, 'User', ctx.viewer.id);
  }

  @Query(() => UserConnection, { description: 'Users, newest first.' })
  users(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return rootConnection(ctx, userRepository.all(), args);
  }

  @Mutation(() => CreateUserPayload, { description: 'ADMIN only.' })
  async createUser(
    @Arg('input', () => CreateUserInput, { description: "The mutation's arguments." }) input: CreateUserInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateUserPayload> {
    const { user, token } = await userService.create(ctx.service, input);
    return { user: await loadWritten(ctx, 'User', user.id), token };
  }

  @Mutation(() => CreateServiceAccountPayload, {
    description: 'ADMIN only. A non-human principal for pipelines and CI, with its first token; it never reviews promotions.',
  })
  async createServiceAccount(
    @Arg('input', () => CreateServiceAccountInput, { description: "The mutation's arguments." }) input: CreateServiceAccountInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateServiceAccountPayload> {
    const { user, token } = await userService.createServiceAccount(ctx.service, input);
    return { user: await loadWritten(ctx, 'User', user.id), token };
  }

  @Mutation(() => UpdateUserPayload, { description: 'ADMIN only.' })
  async updateUser(
    @Arg('input', () => UpdateUserInput, { description: "The mutation's arguments." }) input: UpdateUserInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<UpdateUserPayload> {
    const user = await userService.update(ctx.service, input);
    return { user: await loadWritten(ctx, 'User', user.id) };
  }
}
