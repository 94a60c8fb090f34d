import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import { DeploymentStatus, type Deployment } from '../../domain/deployment/deployment.entity';
import { NodeBase } from '../common/node';

registerEnumType(DeploymentStatus, {
  name: 'DeploymentStatus',
  description: 'How a deployment went, as the deploying pipeline reported it.',
  valuesConfig: {
    STARTED: { description: 'Under way.' },
    SUCCEEDED: { description: 'Running in the environment.' },
    FAILED: { description: 'Did not come up.' },
    ROLLED_BACK: { description: 'Undone after it was deployed.' },
  },
});

export interface DeploymentType extends Pick<RowOf<Deployment>, 'modelVersionId' | 'recordedById'> {}

@ObjectType('Deployment', {
  implements: NodeBase,
  simpleResolvers: true,
  description: 'A model version deployed (or not) to an environment, as the deploying pipeline reported it.',
})
export class DeploymentType extends NodeBase implements Partial<RowOf<Deployment>> {
  get typeName() {
    return 'Deployment';
  }

  @Field(() => String, { description: 'Where it runs, e.g. "production" or "eu-west-1".' })
  environment!: string;

  @Field(() => DeploymentStatus, { description: 'How the deployment went.' })
  status!: DeploymentStatus;

  @Field(() => String, { nullable: true, description: 'The endpoint or the deployment job, an http(s) URL; null when not given.' })
  url!: string | null;

  @Field(() => String, { nullable: true, description: 'Anything else the pipeline reported, e.g. an error message; null when not given.' })
  detail!: string | null;

  @Field(() => Date, { description: 'When the deployment was recorded.' })
  createdAt!: Date;
}
