import { Field, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { User } from '../../domain/user/user.entity';
import { PrincipalKind, Role } from '../common/enums';
import { ConnectionType } from '../common/connection';
import { NodeBase } from '../common/node';
import { heavyColumns } from '../lookahead';

@ObjectType('User', {
  implements: NodeBase,
  simpleResolvers: true,
  description: 'Someone who uses the hub, with the roles that say what they may do.',
})
export class UserType extends NodeBase implements Partial<RowOf<User>> {
  get typeName() {
    return 'User';
  }

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => String, { description: 'Email address, unique among users.' })
  email!: string;

  @Field(() => String, { description: 'Unique, used in @mentions.' })
  handle!: string;

  @Field(() => [Role], { description: 'What the user may do; at least one.' })
  roles!: Role[];

  @Field(() => PrincipalKind, { description: 'Whether this is a person or a service account.' })
  kind!: PrincipalKind;

  @Field(() => String, { nullable: true, description: 'The linked Slack member ID; null when the user has not linked Slack.' })
  slackUserId!: string | null;

  @Field(() => Date, { description: 'When the user was created.' })
  createdAt!: Date;
}

/** Every column a field of the same name shows: an owner or author asked for by name reads the name only. */
export const USER_COLUMNS = heavyColumns(['name', 'email', 'handle', 'roles', 'kind', 'slackUserId', 'createdAt'], ['id']);

export const UserConnection = ConnectionType(UserType, 'User');
