import { defineAggregate, payload } from '../aggregate';
import { versionScope } from '../model/model.repository';
import { DriftFlag, type DriftKind, type DriftStatus, type Severity } from './drift-flag.entity';

export const driftAggregate = defineAggregate({
  name: 'drift',
  entities: [DriftFlag],
  nodes: [
    {
      name: 'DriftFlag',
      entity: DriftFlag,
      discussable: true,
      conversationStartedBy: 'DRIFT_FLAGGED',
      scope: async (em, id) => versionScope(em, (await em.findOneOrFail(DriftFlag, id)).modelVersion.id),
    },
  ],
  events: {
    DRIFT_FLAGGED: payload<{
      kind: DriftKind;
      severity: Severity;
      description: string;
      metric: string | null;
      observed: number | null;
      expected: number | null;
      status: DriftStatus;
    }>(),
    DRIFT_ACKNOWLEDGED: payload<{ fromStatus: DriftStatus; status: DriftStatus; severity: Severity; comment: string | null }>(),
    DRIFT_RESOLVED: payload<{ fromStatus: DriftStatus; status: DriftStatus; severity: Severity; resolution: string }>(),
  },
});
