import { Field, InterfaceType } from 'type-graphql';
import { NodeBase, typeNameOf } from '../common/node';
import { CommentConnection } from './comment.type';

/** The contract's `Discussable`: the comments field and its resolver are shared by every implementation. */
@InterfaceType('Discussable', {
  description: 'Something people discuss: comments hang off it, in the API and in Slack threads.',
  resolveType: typeNameOf,
  implements: NodeBase,
})
export abstract class DiscussableBase extends NodeBase {
  @Field(() => CommentConnection, { description: 'Comments, newest first.' })
  comments!: unknown;
}
