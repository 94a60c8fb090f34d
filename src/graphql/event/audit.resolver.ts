import { Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { auditService } from '../../domain/event/audit.service';
import type { GraphQLContext } from '../context';

@ObjectType('AuditVerification', { simpleResolvers: true, description: 'The result of walking the event chain.' })
export class AuditVerificationType {
  @Field(() => Boolean, { description: 'True when every event still matches the chain.' })
  ok!: boolean;

  @Field(() => Int, { description: 'How many events were checked.' })
  checkedEvents!: number;

  @Field(() => ID, { nullable: true, description: 'The first event whose content or position no longer matches the chain; null when ok.' })
  firstBrokenEventId!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the chain is broken at firstBrokenEventId; null when ok.' })
  reason!: string | null;
}

@Resolver()
export class AuditResolver {
  @Query(() => AuditVerificationType, { description: 'Walks the whole event chain (ADMIN only).' })
  auditVerification(@Ctx() ctx: GraphQLContext) {
    return auditService.verify(ctx.service);
  }
}
