import { hasAnyRole, requireViewer, type ServiceContext } from '../context';
import { PrincipalKind, Role } from '../enums';
import { badInput, forbidden } from '../errors';
import { findByGlobalId } from '../lookup';
import { Model } from '../model/model.entity';
import { ModelVersion } from '../model/model-version.entity';
import { write } from '../unit-of-work';
import { LIMITS, oneOf, optionalText, requiredText } from '../validate';
import { Deployment, DeploymentStatus } from './deployment.entity';

export interface RecordDeploymentInput {
  modelVersionId: string;
  environment: string;
  status: DeploymentStatus;
  url?: string | null;
  detail?: string | null;
}

const ENVIRONMENT = 100;

function httpUrl(value: string | null | undefined): string | null {
  const url = optionalText('url', value, LIMITS.uri) ?? null;
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badInput('url must be an absolute http(s) URL.', 'url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw badInput('url must be an absolute http(s) URL.', 'url');
  return url;
}

export const deploymentService = {
  /**
   * An ML_ENGINEER, an ADMIN or any service account (the deploying pipeline) reports where a
   * version runs. Deployments are facts: each call records one, newest first.
   */
  async record(ctx: ServiceContext, input: RecordDeploymentInput): Promise<Deployment> {
    const viewer = requireViewer(ctx);
    if (viewer.kind !== PrincipalKind.SERVICE && !hasAnyRole(viewer, [Role.ML_ENGINEER, Role.ADMIN])) {
      throw forbidden('recordDeployment needs the role ML_ENGINEER or ADMIN, or a service account.');
    }
    const data = {
      environment: requiredText('environment', input.environment, ENVIRONMENT),
      status: oneOf('status', input.status, DeploymentStatus),
      url: httpUrl(input.url),
      detail: optionalText('detail', input.detail, LIMITS.body) ?? null,
    };
    return write(ctx, async (uow) => {
      const version = await findByGlobalId(uow.em, ModelVersion, 'ModelVersion', input.modelVersionId);
      const model = await uow.em.findOneOrFail(Model, version.model.id);
      const deployment = uow.em.create(Deployment, { ...data, modelVersion: version, recordedBy: viewer.id });
      uow.record({
        type: 'DEPLOYMENT_RECORDED',
        subject: deployment,
        summary: `${uow.actor} reported ${model.name} v${version.version} on ${data.environment}: ${data.status}${data.url ? ` (${data.url})` : ''}`,
        data: { model: model.name, version: version.version, environment: data.environment, status: data.status, url: data.url },
      });
      return deployment;
    });
  },
};
