import { defineAggregate, payload } from '../aggregate';
import type { Changes } from '../event/event.types';
import type { MetricValue } from '../experiment/run.entity';
import type { Tag } from '../validate';
import { ModelVersion, type ModelCardData } from './model-version.entity';
import { Model } from './model.entity';
import { versionScope } from './model.repository';

export const modelAggregate = defineAggregate({
  name: 'model',
  entities: [Model, ModelVersion],
  nodes: [
    {
      name: 'Model',
      entity: Model,
      discussable: true,
      scope: async (em, id) => ({ goalId: (await em.findOneOrFail(Model, id)).goal.id, modelId: id }),
    },
    { name: 'ModelVersion', entity: ModelVersion, discussable: true, scope: versionScope },
  ],
  events: {
    MODEL_REGISTERED: payload<{ name: string; description: string | null }>(),
    MODEL_UPDATED: payload<{ changes: Changes }>(),
    MODEL_VERSION_CREATED: payload<{
      version: number;
      metrics: MetricValue[];
      runId: string | null;
      artifactUri: string | null;
      artifactDigest: string | null;
      description: string | null;
      card: ModelCardData | null;
      externalId: string | null;
      tags: Tag[];
    }>(),
    MODEL_VERSION_UPDATED: payload<{ changes: Changes }>(),
  },
});
