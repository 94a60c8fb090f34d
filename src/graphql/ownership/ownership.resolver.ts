import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { ownershipService } from '../../domain/ownership/ownership.service';
import { NodeBase } from '../common/node';
import type { GraphQLContext } from '../context';
import { loadWritten } from '../nodes';
import type * as commands from '../../domain/ownership/ownership.service';

@InputType('TransferOwnershipInput', { description: 'What to hand over, and to whom.' })
class TransferOwnershipInput implements commands.TransferOwnershipInput {
  @Field(() => ID, { description: 'A goal, model or experiment.' })
  subjectId!: string;

  @Field(() => ID, { description: 'The user who will own it.' })
  newOwnerId!: string;
}

@ObjectType('TransferOwnershipPayload', { simpleResolvers: true, description: 'What was handed over.' })
class TransferOwnershipPayload {
  @Field(() => NodeBase, { description: 'The goal, model or experiment, with its new owner.' })
  subject!: NodeBase;
}

@Resolver()
export class OwnershipResolver {
  @Mutation(() => TransferOwnershipPayload, {
    description:
      'The current owner or ADMIN hands a goal (to an SME), a model or an experiment (to a data scientist, data engineer or ML engineer) to someone else, who is notified.',
  })
  async transferOwnership(
    @Arg('input', () => TransferOwnershipInput, { description: "The mutation's arguments." }) input: TransferOwnershipInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TransferOwnershipPayload> {
    const { type, id } = await ownershipService.transfer(ctx.service, input);
    return { subject: await loadWritten(ctx, type, id) };
  }
}
