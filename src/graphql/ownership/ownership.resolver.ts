import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { ownershipService } from '../../domain/ownership/ownership.service';
import { NodeBase } from '../common/node';
import type { GraphQLContext } from '../context';
import { loadWritten } from '../nodes';
import type * as commands from '../../domain/ownership/ownership.service';

@InputType('TransferOwnershipInput')
class TransferOwnershipInput implements commands.TransferOwnershipInput {
  @Field(() => ID, { description: 'A goal, model or experiment.' })
  subjectId!: string;

  @Field(() => ID)
  newOwnerId!: string;
}

@ObjectType('TransferOwnershipPayload', { simpleResolvers: true })
class TransferOwnershipPayload {
  @Field(() => NodeBase)
  subject!: NodeBase;
}

@Resolver()
export class OwnershipResolver {
  @Mutation(() => TransferOwnershipPayload, {
    description: 'The current owner or ADMIN hands a goal (to an SME), a model or an experiment (to a data scientist, data engineer or ML engineer) to someone else, who is notified.',
  })
  async transferOwnership(@Arg('input', () => TransferOwnershipInput) input: TransferOwnershipInput, @Ctx() ctx: GraphQLContext): Promise<TransferOwnershipPayload> {
    const { type, id } = await ownershipService.transfer(ctx.service, input);
    return { subject: await loadWritten(ctx, type, id) };
  }
}
