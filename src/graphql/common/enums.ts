import { registerEnumType } from 'type-graphql';
import { GoalStatus, KpiDirection, Origin, PrincipalKind, Role, RunStatus, Stage } from '../../domain/enums';

registerEnumType(Role, {
  name: 'Role',
  description: 'The people of MLOps. A user may hold several roles.',
  valuesConfig: {
    SME: { description: 'Subject matter expert: owns business goals and their KPIs, and judges whether models meet them.' },
    DATA_SCIENTIST: { description: 'Runs experiments and builds model versions.' },
    DATA_ENGINEER: { description: 'Provides the data that runs and models are built from.' },
    ML_ENGINEER: { description: 'Deploys and operates model versions.' },
    RISK_MANAGER: { description: 'Reviews model risk, typically before production.' },
    ADMIN: { description: 'Manages users, and passes every role check; a review still counts only for a role the reviewer holds.' },
  },
});
registerEnumType(Origin, {
  name: 'Origin',
  description: 'Where an action came from.',
  valuesConfig: {
    API: { description: 'The GraphQL API.' },
    SLACK: { description: 'A Slack command, action or message.' },
    MONITOR: { description: 'An automatic check by the hub itself.' },
    CLI: { description: 'The hub command line (npx hub ...).' },
  },
});
registerEnumType(GoalStatus, {
  name: 'GoalStatus',
  description: 'Where a goal stands in its life.',
  valuesConfig: {
    DRAFT: { description: 'Being written; not yet pursued.' },
    ACTIVE: { description: 'Being pursued: models are built and judged against it.' },
    ACHIEVED: { description: 'Declared met by its owner.' },
    RETIRED: { description: 'No longer pursued.' },
  },
});
registerEnumType(KpiDirection, {
  name: 'KpiDirection',
  description: 'Which way a KPI improves.',
  valuesConfig: {
    HIGHER_IS_BETTER: { description: 'Larger values are better (e.g. retention).' },
    LOWER_IS_BETTER: { description: 'Smaller values are better (e.g. churn).' },
  },
});
registerEnumType(RunStatus, {
  name: 'RunStatus',
  description: 'Where a run stands; a FINISHED or FAILED run is closed and stays so.',
  valuesConfig: {
    RUNNING: { description: 'Still going: metrics may still change.' },
    FINISHED: { description: 'Completed.' },
    FAILED: { description: 'Stopped by an error.' },
  },
});
registerEnumType(Stage, {
  name: 'Stage',
  description: 'Where a model version stands in its release: it moves between stages only through an approved promotion request.',
  valuesConfig: {
    NONE: { description: 'Not released: where every new version starts.' },
    STAGING: { description: 'Being tried before production.' },
    PRODUCTION: { description: 'Serving; a model has one version here at most, so a new one archives the previous.' },
    ARCHIVED: { description: 'Withdrawn from use.' },
  },
});
registerEnumType(PrincipalKind, {
  name: 'PrincipalKind',
  description: 'A person, or a service account (a pipeline, a CI job) that never reviews.',
  valuesConfig: {
    PERSON: { description: 'A person, who may review promotions their roles allow.' },
    SERVICE: { description: 'A service account, created by an ADMIN with createServiceAccount; it never reviews promotions.' },
  },
});

export { GoalStatus, KpiDirection, Origin, PrincipalKind, Role, RunStatus, Stage };
