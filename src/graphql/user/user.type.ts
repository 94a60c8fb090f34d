import { Field, ObjectType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import type { User } from '../../domain/user/user.entity';
import { Role } from '../common/enums';
import { ConnectionType } from '../common/connection';
import { NodeBase } from '../common/node';

@ObjectType('User', { implements: NodeBase, simpleResolvers: true })
export class UserType extends NodeBase implements Partial<RowOf<User>> {
  get typeName() {
    return 'User';
  }

  @Field(() => String)
  name!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String, { description: 'Unique, used in @mentions.' })
  handle!: string;

  @Field(() => [Role])
  roles!: Role[];

  @Field(() => String, { nullable: true })
  slackUserId!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

export const UserConnection = ConnectionType(UserType, 'User');
