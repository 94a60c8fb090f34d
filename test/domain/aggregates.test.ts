/**
 * The guard on aggregate declarations: what the node registry, the discussable types, the event
 * types, the entity list and the API derive from them must be complete and agree with the schema,
 * so that a forgotten or half-done declaration fails here instead of answering null or {}.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isEnumType, isInterfaceType, type GraphQLNamedType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initOrm, type Database } from '../../src/db/orm';
import { AGGREGATES, ENTITIES, LifecycleEventType } from '../../src/domain/aggregates';
import { projections } from '../../src/domain/event/projections';
import { nodeTypes } from '../../src/domain/node-registry';
import { GRAPHQL_MODULES, RECORD_PROTOTYPES } from '../../src/graphql/modules';

const schema = buildSchema(readFileSync(join(__dirname, '../../schema/schema.graphql'), 'utf8'));
const implementing = (name: string) => {
  const iface = schema.getType(name);
  if (!isInterfaceType(iface)) throw new Error(`${name} is not an interface of the schema`);
  return schema
    .getImplementations(iface)
    .objects.map((t) => t.name)
    .sort();
};

describe('aggregate declarations', () => {
  let db: Database;
  beforeAll(async () => {
    db = await initOrm({ target: { dialect: 'sqlite', path: ':memory:' } });
  });
  afterAll(() => db.close());

  it('claim every entity the ORM maps, each in one aggregate only', () => {
    const mapped = Object.values(db.orm.getMetadata().getAll())
      .filter((m) => !m.embeddable && !m.virtual)
      .map((m) => m.className)
      .sort();
    expect(ENTITIES.map((e) => e.name).sort()).toEqual(mapped);
    expect(new Set(ENTITIES).size).toBe(ENTITIES.length);
  });

  it('declare each node type with an entity of its own aggregate and a scope', () => {
    for (const aggregate of AGGREGATES) {
      for (const node of aggregate.nodes) {
        expect(aggregate.entities, `${node.name} of ${aggregate.name}`).toContain(node.entity);
        expect(typeof node.scope, `${node.name}.scope`).toBe('function');
      }
    }
  });

  it('give every node type a GraphQL type of its name that implements Node, whose rows inherit it', () => {
    for (const node of nodeTypes()) {
      const proto = RECORD_PROTOTYPES.get(node.entity) as { typeName?: string } | undefined;
      expect(proto, `a GraphQL record type for ${node.name}`).toBeDefined();
      expect(Object.create(proto!).typeName, `the typeName of ${node.name}'s record`).toBe(node.name);
      expect((schema.getType(node.name) as GraphQLNamedType | undefined)?.name, `${node.name} in the schema`).toBe(node.name);
    }
    expect(
      nodeTypes()
        .map((n) => n.name)
        .sort(),
    ).toEqual(implementing('Node'));
  });

  it('mark exactly the types that implement Discussable as discussable', () => {
    expect(
      nodeTypes()
        .filter((n) => n.discussable)
        .map((n) => n.name)
        .sort(),
    ).toEqual(implementing('Discussable'));
  });

  it('open conversations only with an event type of their own aggregate', () => {
    for (const aggregate of AGGREGATES) {
      for (const node of aggregate.nodes.filter((n) => n.conversationStartedBy)) {
        expect(Object.keys(aggregate.events), `${node.name}.conversationStartedBy`).toContain(node.conversationStartedBy);
      }
    }
  });

  it('declare exactly the lifecycle event types of the schema, each once', () => {
    const declared = AGGREGATES.flatMap((a) => Object.keys(a.events));
    expect(new Set(declared).size).toBe(declared.length);
    const inSchema = schema.getType('LifecycleEventType');
    if (!isEnumType(inSchema)) throw new Error('LifecycleEventType is not an enum of the schema');
    expect([...declared].sort()).toEqual(
      inSchema
        .getValues()
        .map((v) => v.name)
        .sort(),
    );
    expect(Object.keys(LifecycleEventType)).toEqual(declared);
  });

  it('give every aggregate its API module, and API records only for entities of aggregates', () => {
    expect(Object.keys(GRAPHQL_MODULES).sort()).toEqual(AGGREGATES.map((a) => a.name).sort());
    for (const entity of RECORD_PROTOTYPES.keys()) expect(ENTITIES).toContain(entity);
  });

  it('register every declared projection, and only those', () => {
    expect(
      projections()
        .map((p) => p.name)
        .sort(),
    ).toEqual(
      AGGREGATES.flatMap((a) => a.projections ?? [])
        .map((p) => p.name)
        .sort(),
    );
  });
});
