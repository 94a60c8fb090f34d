import { defineAggregate, payload } from '../aggregate';
import type { PrincipalKind, Role } from '../enums';
import type { Changes } from '../event/event.types';
import { ApiToken } from './api-token.entity';
import { User } from './user.entity';

export const userAggregate = defineAggregate({
  name: 'user',
  entities: [User, ApiToken],
  nodes: [{ name: 'User', entity: User, discussable: false, scope: async () => ({}) }],
  events: {
    /** `kind` only for service accounts. */
    USER_CREATED: payload<{ name: string; roles: Role[]; slackUserId: string | null; kind?: PrincipalKind }>(),
    USER_UPDATED: payload<{ changes: Changes }>(),
    /** `retiring`: on a service account's rotation, how many older tokens now stop at the end of the grace. */
    TOKEN_CREATED: payload<{ label: string | null; retiring?: number }>(),
    TOKENS_REVOKED: payload<{ revoked: number }>(),
  },
});
