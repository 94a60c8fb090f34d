import { NEWEST_FIRST, type ChildList, type ListQuery, type Order } from '../../db/reader';
import { DriftFlag, DriftStatus, SEVERITY_RANK, type Severity } from './drift-flag.entity';

export interface DriftFlagFilter {
  status?: DriftStatus | null;
  /** Flags at least this severe. */
  minSeverity?: Severity | null;
  modelId?: number | null;
}

export const MOST_SEVERE_FIRST: Order = { props: ['severityRank', 'id'], direction: 'desc' };

/** Reads about drift flags. */
export const driftRepository = {
  /** Flags, newest first. */
  flags(filter: DriftFlagFilter): ListQuery<DriftFlag> {
    return {
      entity: DriftFlag,
      order: NEWEST_FIRST,
      where: {
        status: filter.status ?? undefined,
        severityRank: filter.minSeverity ? { gte: SEVERITY_RANK[filter.minSeverity] } : undefined,
        modelId: filter.modelId ?? undefined,
      },
    };
  },

  /** The unresolved flags of each model, most severe first, then newest. */
  openFlagsOfModel: {
    name: 'model.openDriftFlags',
    entity: DriftFlag,
    parentKey: 'modelId',
    order: MOST_SEVERE_FIRST,
    filter: { status: { not: DriftStatus.RESOLVED } },
  } satisfies ChildList<DriftFlag>,

  /** The flags of each version, newest first, optionally in one status. */
  flagsOfVersion(status: DriftStatus | null | undefined): ChildList<DriftFlag> {
    return {
      name: `version.driftFlags:${status ?? ''}`,
      entity: DriftFlag,
      parentKey: 'modelVersionId',
      order: NEWEST_FIRST,
      filter: { status: status ?? undefined },
    };
  },
};
