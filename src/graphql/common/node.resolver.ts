import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { badInput } from '../../domain/errors';
import { fromGlobalId } from '../../domain/ids';
import { nodeTypeNamed } from '../../domain/node-registry';
import type { GraphQLContext } from '../context';
import { loadNode } from '../nodes';
import { NodeBase } from './node';

const MAX_NODES = 100;

function load(ctx: GraphQLContext, id: string) {
  const parsed = fromGlobalId(id);
  const type = parsed && nodeTypeNamed(parsed.type);
  // An object the viewer may not read is answered like one that does not exist.
  return type && (!type.visibleTo || type.visibleTo(ctx.viewer)) ? loadNode<NodeBase>(ctx, parsed.type, parsed.id) : null;
}

@Resolver()
export class NodeResolver {
  @Query(() => NodeBase, { nullable: true, description: 'Any object by its global ID; null when there is none.' })
  node(@Arg('id', () => ID, { description: 'A global ID.' }) id: string, @Ctx() ctx: GraphQLContext) {
    return load(ctx, id);
  }

  @Query(() => [NodeBase], {
    nullable: 'items',
    description: `Objects by global ID, in the order asked, null where there is none (at most ${MAX_NODES}).`,
  })
  nodes(@Arg('ids', () => [ID], { description: `Global IDs, at most ${MAX_NODES}.` }) ids: string[], @Ctx() ctx: GraphQLContext) {
    if (ids.length > MAX_NODES) throw badInput(`nodes takes at most ${MAX_NODES} IDs.`, 'ids');
    return Promise.all(ids.map((id) => load(ctx, id)));
  }
}
