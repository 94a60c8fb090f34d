import { LifecycleEvent } from '../../domain/event/lifecycle-event.entity';
import type { GraphQLModule } from '../module';
import { AuditResolver } from './audit.resolver';
import { EventResolver } from './event.resolver';
import { LifecycleEventRecord } from './event.type';

export const eventApi: GraphQLModule = {
  resolvers: [EventResolver, AuditResolver],
  records: [[LifecycleEvent, LifecycleEventRecord]],
};
