import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import { DeploymentStatus, type Deployment } from '../../domain/deployment/deployment.entity';
import { NodeBase } from '../common/node';

registerEnumType(DeploymentStatus, { name: 'DeploymentStatus' });

export interface DeploymentType extends Pick<RowOf<Deployment>, 'modelVersionId' | 'recordedById'> {}

@ObjectType('Deployment', { implements: NodeBase, simpleResolvers: true, description: 'A model version deployed (or not) to an environment, as the deploying pipeline reported it.' })
export class DeploymentType extends NodeBase implements Partial<RowOf<Deployment>> {
  get typeName() {
    return 'Deployment';
  }

  @Field(() => String)
  environment!: string;

  @Field(() => DeploymentStatus)
  status!: DeploymentStatus;

  @Field(() => String, { nullable: true })
  url!: string | null;

  @Field(() => String, { nullable: true })
  detail!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}
