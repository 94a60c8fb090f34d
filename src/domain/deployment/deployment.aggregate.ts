import { defineAggregate, payload } from '../aggregate';
import { versionScope } from '../model/model.repository';
import { Deployment, type DeploymentStatus } from './deployment.entity';

export const deploymentAggregate = defineAggregate({
  name: 'deployment',
  entities: [Deployment],
  nodes: [
    {
      name: 'Deployment',
      entity: Deployment,
      discussable: false,
      scope: async (em, id) => versionScope(em, (await em.findOneOrFail(Deployment, id)).modelVersion.id),
    },
  ],
  events: {
    DEPLOYMENT_RECORDED: payload<{ model: string; version: number; environment: string; status: DeploymentStatus; url: string | null }>(),
  },
});
