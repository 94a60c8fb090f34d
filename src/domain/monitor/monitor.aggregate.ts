import { defineAggregate, payload } from '../aggregate';
import type { Severity } from '../drift/drift-flag.entity';
import type { Changes } from '../event/event.types';
import { Monitor, type MonitorCondition, type MonitorSource } from './monitor.entity';

export const monitorAggregate = defineAggregate({
  name: 'monitor',
  entities: [Monitor],
  nodes: [
    { name: 'Monitor', entity: Monitor, discussable: false, scope: async (em, id) => ({ goalId: (await em.findOneOrFail(Monitor, id)).goal.id }) },
  ],
  events: {
    /** `kpiId` and `modelId` are global IDs. */
    MONITOR_CREATED: payload<{
      name: string;
      source: MonitorSource;
      kpiId: string | null;
      modelId: string | null;
      metricKey: string | null;
      condition: MonitorCondition;
      threshold: number;
      window: number;
      severity: Severity;
      autoResolveAfter: number | null;
    }>(),
    /** Also pausing and resuming (`paused` among the changes). */
    MONITOR_UPDATED: payload<{ changes: Changes }>(),
    MONITOR_DELETED: payload<{ name: string }>(),
  },
});
