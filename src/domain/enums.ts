/** The people of MLOps. A user may hold several roles. */
export enum Role {
  SME = 'SME',
  DATA_SCIENTIST = 'DATA_SCIENTIST',
  DATA_ENGINEER = 'DATA_ENGINEER',
  ML_ENGINEER = 'ML_ENGINEER',
  RISK_MANAGER = 'RISK_MANAGER',
  ADMIN = 'ADMIN',
}

/** A person, or a service account (a pipeline, a CI job): never a reviewer. */
export enum PrincipalKind {
  PERSON = 'PERSON',
  SERVICE = 'SERVICE',
}

/** Where an action came from. */
export enum Origin {
  API = 'API',
  SLACK = 'SLACK',
  MONITOR = 'MONITOR',
  /** The `hub` command on the server. */
  CLI = 'CLI',
}

export enum GoalStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  ACHIEVED = 'ACHIEVED',
  RETIRED = 'RETIRED',
}

export enum KpiDirection {
  HIGHER_IS_BETTER = 'HIGHER_IS_BETTER',
  LOWER_IS_BETTER = 'LOWER_IS_BETTER',
}

export enum RunStatus {
  RUNNING = 'RUNNING',
  FINISHED = 'FINISHED',
  FAILED = 'FAILED',
}

export enum Stage {
  NONE = 'NONE',
  STAGING = 'STAGING',
  PRODUCTION = 'PRODUCTION',
  ARCHIVED = 'ARCHIVED',
}
