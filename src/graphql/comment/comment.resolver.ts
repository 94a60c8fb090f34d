import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, ID, FieldResolver, Info, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { commentRepository } from '../../domain/comment/comment.repository';
import { commentService } from '../../domain/comment/comment.service';
import { ConnectionArgs } from '../common/connection';
import { childConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { unreadColumns, unreadColumnsInPage } from '../lookahead';
import { loadNode, loadWritten } from '../nodes';
import { USER_COLUMNS, UserType } from '../user/user.type';
import { COMMENT_COLUMNS, CommentConnection, CommentType } from './comment.type';
import { DiscussableBase } from './discussable';
import type * as commands from '../../domain/comment/comment.service';

@InputType('AddCommentInput', { description: 'A comment on a Discussable object.' })
class AddCommentInput implements commands.AddCommentInput {
  @Field(() => ID, { description: 'The ID of any Discussable object.' })
  subjectId!: string;

  @Field(() => String, { description: 'The text, 1 to 10,000 characters; `@handle` mentions notify those people.' })
  body!: string;

  @Field(() => Boolean, { nullable: true, description: 'A question stays open until its author or the owner of what it is on marks it answered.' })
  isQuestion?: boolean | null;
}

@InputType('MarkAnsweredInput', { description: 'A question to mark answered.' })
class MarkAnsweredInput implements commands.MarkAnsweredInput {
  @Field(() => ID, { description: 'The comment asked as a question.' })
  commentId!: string;
}

@ObjectType('MarkAnsweredPayload', { simpleResolvers: true, description: 'The question, answered.' })
class MarkAnsweredPayload {
  @Field(() => CommentType, { description: 'The comment, with answeredAt set.' })
  comment!: CommentType;
}

@ObjectType('AddCommentPayload', { simpleResolvers: true, description: 'The comment added.' })
class AddCommentPayload {
  @Field(() => CommentType, { description: 'The new comment.' })
  comment!: CommentType;
}

@Resolver(() => DiscussableBase)
export class DiscussableResolver {
  @FieldResolver(() => CommentConnection, { description: 'Comments, newest first.' })
  comments(
    @Root() subject: DiscussableBase,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return childConnection(ctx, commentRepository.commentsOn(subject.typeName), subject.dbId, args, unreadColumnsInPage(info, COMMENT_COLUMNS));
  }
}

@Resolver(() => CommentType)
export class CommentResolver {
  @FieldResolver(() => DiscussableBase, { description: 'The object commented on.' })
  subject(@Root() comment: CommentType, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, comment.subjectType, comment.subjectId);
  }

  @FieldResolver(() => UserType, { description: 'Who wrote it.' })
  author(@Root() comment: CommentType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return loadNode(ctx, 'User', comment.authorId, unreadColumns(info, USER_COLUMNS));
  }

  @FieldResolver(() => [UserType], { description: 'The people its `@handle`s name.' })
  async mentions(@Root() comment: CommentType, @Ctx() ctx: GraphQLContext) {
    return (await Promise.all(comment.mentions.map((id) => loadNode(ctx, 'User', id)))).filter(Boolean);
  }

  @Mutation(() => MarkAnsweredPayload, { description: "The question's author or the owner of what it is on." })
  async markAnswered(
    @Arg('input', () => MarkAnsweredInput, { description: "The mutation's arguments." }) input: MarkAnsweredInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MarkAnsweredPayload> {
    const comment = await commentService.markAnswered(ctx.service, input);
    return { comment: await loadWritten(ctx, 'Comment', comment.id) };
  }

  @Mutation(() => AddCommentPayload, { description: 'Any authenticated user, on any Discussable object.' })
  async addComment(
    @Arg('input', () => AddCommentInput, { description: "The mutation's arguments." }) input: AddCommentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AddCommentPayload> {
    const comment = await commentService.add(ctx.service, input);
    return { comment: await loadWritten(ctx, 'Comment', comment.id) };
  }
}
