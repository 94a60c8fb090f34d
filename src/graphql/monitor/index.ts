import { Monitor } from '../../domain/monitor/monitor.entity';
import type { GraphQLModule } from '../module';
import { DriftFlagMonitorResolver, GoalMonitorResolver, MonitorResolver } from './monitor.resolver';
import { MonitorType } from './monitor.type';

export const monitorApi: GraphQLModule = {
  resolvers: [MonitorResolver, GoalMonitorResolver, DriftFlagMonitorResolver],
  records: [[Monitor, MonitorType]],
};
