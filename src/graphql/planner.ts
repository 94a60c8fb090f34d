import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { readNested, type NestedRoot, type NestedRow, type NestedValue } from '../db/nested';
import type { ChildList, EntityClass, Filter, ListQuery, Reader } from '../db/reader';
import { Comment } from '../domain/comment/comment.entity';
import { commentRepository } from '../domain/comment/comment.repository';
import { DriftFlag } from '../domain/drift/drift-flag.entity';
import { driftRepository } from '../domain/drift/drift.repository';
import { Experiment } from '../domain/experiment/experiment.entity';
import { Run } from '../domain/experiment/run.entity';
import { Goal } from '../domain/goal/goal.entity';
import { goalRepository } from '../domain/goal/goal.repository';
import { Kpi } from '../domain/goal/kpi.entity';
import { toGlobalId } from '../domain/ids';
import { ModelVersion } from '../domain/model/model-version.entity';
import { Model } from '../domain/model/model.entity';
import { modelRepository, PRODUCTION_VERSION } from '../domain/model/model.repository';
import { User } from '../domain/user/user.entity';
import { COMMENT_COLUMNS } from './comment/comment.type';
import { listCap, pageArgs, type ConnectionArgs } from './common/connection';
import { DRIFT_FLAG_COLUMNS } from './drift/drift.type';
import { RUN_COLUMNS } from './experiment/experiment.type';
import { MODEL_COLUMNS, VERSION_COLUMNS } from './model/model.type';
import { USER_COLUMNS } from './user/user.type';
import { log } from '../logger';
import type { PlanRequest } from './executor';

/**
 * A relation of a row type the planner follows: the one row that matches (`match`: pairs of the
 * other entity's property and this row's, with a filter and order when several may), a plain list
 * (its first `listCap` children), or a connection (`nodes` and `totalCount` of one page).
 */
type Relation =
  | { kind: 'one'; type: string; match: readonly (readonly [string, string])[]; filter?: NestedOne['filter']; order?: NestedOne['order'] }
  | { kind: 'list'; type: string; list: ChildList<object> }
  | { kind: 'connection'; type: string; list: ChildList<object> };
type NestedOne = Extract<NestedValue, { kind: 'one' }>;

/** A GraphQL object type backed by an entity's rows: the fields that show a column of the same name, and the relations it follows. */
interface RowType {
  entity: EntityClass;
  columns: readonly string[];
  relations: Readonly<Record<string, Relation>>;
}

/** A repository's relation, for a table of relations of several entities. */
const anyList = <E extends object>(list: ChildList<E>) => list as unknown as ChildList<object>;
/** Comments on rows of `type` (every Discussable has them). */
const comments = (type: string): Relation => ({ kind: 'connection', type: 'Comment', list: anyList(commentRepository.commentsOn(type)) });
const user = (key: string): Relation => ({ kind: 'one', type: 'User', match: [['id', key]] });

/**
 * The types the planner answers from one statement, with every field it may plan; the fields not
 * listed (those with rules of their own, e.g. `evidenceDigest`, or arguments beyond paging) make a
 * query run through the resolvers. Relations are the repositories' own definitions, so a relation
 * reads the same rows in the same order either way; columns are the lookahead's declarations of
 * the columns a field of the same name shows (`USER_COLUMNS` and the like), so both read one list.
 */
const ROW_TYPES: Readonly<Record<string, RowType>> = {
  Goal: {
    entity: Goal,
    columns: ['title', 'businessQuestion', 'description', 'status', 'createdAt', 'updatedAt'],
    relations: {
      owner: user('ownerId'),
      kpis: { kind: 'list', type: 'Kpi', list: anyList(goalRepository.kpisOf) },
      models: { kind: 'connection', type: 'Model', list: anyList(modelRepository.modelsOf) },
      comments: comments('Goal'),
    },
  },
  Kpi: {
    entity: Kpi,
    columns: ['name', 'description', 'unit', 'direction', 'baseline', 'target', 'current'],
    relations: { goal: { kind: 'one', type: 'Goal', match: [['id', 'goalId']] }, comments: comments('Kpi') },
  },
  Model: {
    entity: Model,
    columns: MODEL_COLUMNS.heavy,
    relations: {
      owner: user('ownerId'),
      goal: { kind: 'one', type: 'Goal', match: [['id', 'goalId']] },
      latestVersion: {
        kind: 'one',
        type: 'ModelVersion',
        match: [
          ['modelId', 'id'],
          ['version', 'versionCount'],
        ],
      },
      productionVersion: {
        kind: 'one',
        type: 'ModelVersion',
        match: [['modelId', 'id']],
        filter: PRODUCTION_VERSION.filter as Filter<object>,
        order: PRODUCTION_VERSION.order,
      },
      openDriftFlags: { kind: 'list', type: 'DriftFlag', list: anyList(driftRepository.openFlagsOfModel) },
      comments: comments('Model'),
    },
  },
  ModelVersion: {
    entity: ModelVersion,
    columns: ['version', 'stage', 'metrics', 'createdAt', ...VERSION_COLUMNS.heavy],
    relations: {
      model: { kind: 'one', type: 'Model', match: [['id', 'modelId']] },
      run: { kind: 'one', type: 'Run', match: [['id', 'runId']] },
      createdBy: user('createdById'),
      comments: comments('ModelVersion'),
    },
  },
  Run: {
    entity: Run,
    columns: RUN_COLUMNS.heavy,
    relations: { experiment: { kind: 'one', type: 'Experiment', match: [['id', 'experimentId']] }, comments: comments('Run') },
  },
  Experiment: {
    entity: Experiment,
    columns: ['name', 'hypothesis', 'createdAt'],
    relations: { comments: comments('Experiment') },
  },
  DriftFlag: {
    entity: DriftFlag,
    columns: DRIFT_FLAG_COLUMNS.heavy,
    relations: { raisedBy: user('raisedById'), comments: comments('DriftFlag') },
  },
  Comment: {
    entity: Comment,
    // `mentions` reads its column through a resolver of its own (the users it names).
    columns: COMMENT_COLUMNS.heavy.filter((c) => c !== 'mentions'),
    relations: { author: user('authorId') },
  },
  User: {
    entity: User,
    columns: USER_COLUMNS.heavy,
    relations: {},
  },
};

/** Object types kept inside a row's JSON column (a version's metrics and card): plain data, every field the property of the same name. */
const PLAIN_TYPES: ReadonlySet<string> = new Set(['Metric', 'Tag', 'ModelCard', 'FeatureImportance']);

/** The root fields the planner answers: connections over a repository's list query, built from the field's arguments. */
const ROOTS: Readonly<Record<string, { type: string; query: (args: Record<string, unknown>) => ListQuery<object> }>> = {
  goals: { type: 'Goal', query: (args) => goalRepository.goals({ status: args.status as never }) as ListQuery<object> },
};

/** Raised while planning or shaping an answer: the operation runs through the resolvers instead. */
class Unplanned extends Error {}
const unplanned = (): never => {
  throw new Unplanned();
};

type Shape = (raw: unknown) => unknown;

/** A field of an object: its response key and how its value is shaped from the row read for it. */
interface Slot {
  key: string;
  shape: (row: readonly unknown[]) => unknown;
}

/**
 * An object built from its slots (from a row, or from plain data), in the selection's order, as
 * graphql-js builds it. A plain object, which V8 builds and `JSON.stringify` serialises two to four
 * times as fast as one without a prototype (which it keeps as a hash table); without a prototype
 * only when a key is `__proto__`, which on a plain object would set the prototype instead of adding
 * the key (graphql-js's answers have no prototype for that reason).
 */
function objectOf<T>(slots: readonly { key: string; shape: (from: T) => unknown }[]): (from: T) => Record<string, unknown> {
  const create: () => Record<string, unknown> = slots.some(({ key }) => key === '__proto__') ? () => Object.create(null) : () => ({});
  return (from) => {
    const out = create();
    for (const slot of slots) out[slot.key] = slot.shape(from);
    return out;
  };
}

/** graphql-js's completion of a non-null wrapper: a null there is an error, which the resolvers report. */
function nonNull(type: GraphQLOutputType, shape: Shape): Shape {
  return isNonNullType(type) ? (raw) => shape(raw) ?? unplanned() : shape;
}

/** A list whose items are shaped by `item`, cut to `cap` items when it has one. */
function listOf(item: Shape, cap?: number): Shape {
  return (raw) => {
    if (raw === null || raw === undefined) return null;
    if (!Array.isArray(raw)) return unplanned();
    const items = cap !== undefined && raw.length > cap ? raw.slice(0, cap) : raw;
    return items.map(item);
  };
}

/**
 * The most values (columns and relations) one planned statement reads, and one JSON array of it (a
 * row, a connection) or the roots (a column each): PostgreSQL's functions take at most 100
 * arguments, and a document whose fragments multiply its fields (within the depth, alias and cost
 * limits) must not build a statement of thousands of subqueries or columns. The dashboard's
 * question reads 26. Beyond either, the resolvers answer.
 */
const MAX_VALUES = 400;
const MAX_ROW_VALUES = 100;

class Planner {
  private values = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
  ) {}

  /** The fields selected under `set` in document order, through fragments on the same type; anything the planner does not follow fails. */
  private fields(set: SelectionSetNode | undefined, type: GraphQLObjectType, seen = new Set<string>(), out: FieldNode[] = []): FieldNode[] {
    for (const selection of set?.selections ?? unplanned()) {
      if (selection.directives?.length) unplanned();
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (seen.has(key)) unplanned();
        seen.add(key);
        out.push(selection);
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : this.fragments[selection.name.value];
        if (!fragment || (fragment.typeCondition && fragment.typeCondition.name.value !== type.name)) unplanned();
        this.fields(fragment.selectionSet, type, seen, out);
      }
    }
    return out;
  }

  /** Counts the values of one more JSON array; beyond either limit (the array's or the statement's) the resolvers answer. */
  private spend(values: number): void {
    this.values += values;
    if (values > MAX_ROW_VALUES || this.values > MAX_VALUES) unplanned();
  }

  private args(field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
    return getArgumentValues(field, node, this.variables);
  }

  /** A connection's page: `first` checked as the resolvers check it; a cursor (`after`) is left to them. */
  private first(field: GraphQLField<unknown, unknown>, node: FieldNode, list: { order: ChildList<object>['order'] }): number {
    const args = this.args(field, node) as ConnectionArgs;
    if (args.after !== undefined && args.after !== null) unplanned();
    try {
      return pageArgs(args, list.order).first;
    } catch {
      return unplanned();
    }
  }

  private objectType(name: string): GraphQLObjectType {
    const type = this.schema.getType(name);
    return isObjectType(type) ? type : unplanned();
  }

  /** A leaf (or list of leaves) as graphql-js serialises it, from the column as the read path decodes it. */
  private leaf(type: GraphQLOutputType, decode: Shape): Shape {
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      const item = this.leaf(nullable.ofType, (v) => v);
      return nonNull(type, (raw) => listOf(item)(decode(raw)));
    }
    if (!isLeafType(nullable)) return unplanned();
    return nonNull(type, (raw) => {
      const value = decode(raw);
      return value === null || value === undefined ? null : nullable.serialize(value);
    });
  }

  /** Plain data (a row's JSON column), completed as graphql-js completes it with default resolvers. */
  private plain(type: GraphQLOutputType, node: FieldNode, parent: string, name: string): Shape {
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      const named = getNamedType(nullable);
      const item = this.plain(nullable.ofType, node, parent, name);
      return nonNull(type, listOf(item, isCompositeType(named) ? listCap(parent, name) : undefined));
    }
    if (isLeafType(nullable)) return this.leaf(type, (v) => v);
    if (!isObjectType(nullable) || !PLAIN_TYPES.has(nullable.name)) return unplanned();
    const slots = this.fields(node.selectionSet, nullable).map((sub): { key: string; shape: Shape } => {
      const key = sub.alias?.value ?? sub.name.value;
      if (sub.name.value === '__typename') return { key, shape: () => nullable.name };
      const field = nullable.getFields()[sub.name.value] ?? unplanned();
      if (sub.arguments?.length) unplanned();
      const shape = this.plain(field.type, sub, nullable.name, field.name);
      return { key, shape: (value) => shape((value as Record<string, unknown>)[field.name]) };
    });
    const object = objectOf(slots);
    return nonNull(type, (raw) => {
      if (raw === null || raw === undefined) return null;
      return typeof raw === 'object' ? object(raw) : unplanned();
    });
  }

  /** The row of `typeName` that `nodes` select: the values to read and how to shape the object from them. */
  row(typeName: string, node: FieldNode, reader: Reader): { row: NestedRow; shape: (row: readonly unknown[]) => Record<string, unknown> } {
    const spec = ROW_TYPES[typeName] ?? unplanned();
    const type = this.objectType(typeName);
    const values: NestedValue[] = [];
    const columns = new Map<string, number>();
    const column = (prop: string) => {
      let index = columns.get(prop);
      if (index === undefined) {
        index = values.push({ kind: 'column', prop }) - 1;
        columns.set(prop, index);
      }
      return index;
    };
    const slots = this.fields(node.selectionSet, type).map((sub): Slot => {
      const key = sub.alias?.value ?? sub.name.value;
      const name = sub.name.value;
      if (name === '__typename') return { key, shape: () => typeName };
      const field = type.getFields()[name] ?? unplanned();
      if (name === 'id') {
        const at = column('id');
        return { key, shape: (row) => toGlobalId(typeName, row[at] as number) };
      }
      if (spec.columns.includes(name)) {
        if (sub.arguments?.length) unplanned();
        const at = column(name);
        const decode = reader.decoder(spec.entity, name);
        const shape = isCompositeType(getNamedType(field.type)) ? this.plain(field.type, sub, typeName, name) : this.leaf(field.type, (v) => v);
        return { key, shape: (row) => shape(decode(row[at])) };
      }
      const [value, shape] = this.relation(spec.relations[name] ?? unplanned(), field, sub, typeName, reader);
      const at = values.push(value) - 1;
      return { key, shape: (row) => shape(row[at]) };
    });
    this.spend(values.length);
    return { row: { entity: spec.entity, values }, shape: objectOf(slots) };
  }

  private relation(relation: Relation, field: GraphQLField<unknown, unknown>, node: FieldNode, parent: string, reader: Reader): [NestedValue, Shape] {
    if (relation.kind !== 'connection' && node.arguments?.length) unplanned();
    if (relation.kind === 'one') {
      const { row, shape } = this.row(relation.type, node, reader);
      const value: NestedValue = { kind: 'one', entity: ROW_TYPES[relation.type].entity, match: relation.match, row };
      if (relation.filter) value.filter = relation.filter;
      if (relation.order) value.order = relation.order;
      return [value, nonNull(field.type, (raw) => (raw === null || raw === undefined ? null : shape(raw as unknown[])))];
    }
    if (relation.kind === 'list') {
      const { row, shape } = this.row(relation.type, node, reader);
      const value: NestedValue = { kind: 'children', list: relation.list, limit: listCap(parent, field.name), row };
      return [
        value,
        nonNull(
          field.type,
          listOf((r) => shape(r as unknown[])),
        ),
      ];
    }
    const { list } = relation;
    const first = this.first(field, node, list);
    const [values, shape] = this.page<NestedValue>(field, node, relation.type, reader, (row) => ({ kind: 'children', list, limit: first, row }), {
      kind: 'count',
      list,
    });
    return [{ kind: 'array', values }, shape];
  }

  /**
   * A connection's `nodes` and `totalCount`, read as one JSON array of those selected (`rows` and
   * `count` build them); its other fields (cursors, pageInfo) are left to the resolvers.
   */
  page<V>(
    field: GraphQLField<unknown, unknown>,
    node: FieldNode,
    typeName: string,
    reader: Reader,
    rows: (row: NestedRow) => V,
    count: V,
  ): [V[], Shape] {
    const connection = getNullableType(field.type);
    if (!isObjectType(connection)) return unplanned();
    const values: V[] = [];
    const slots = this.fields(node.selectionSet, connection).map((sub): Slot => {
      const key = sub.alias?.value ?? sub.name.value;
      if (sub.name.value === '__typename') return { key, shape: () => connection.name };
      const at = values.length;
      if (sub.name.value === 'totalCount') {
        values.push(count);
        return { key, shape: (row) => Number(row[at]) };
      }
      if (sub.name.value !== 'nodes') return unplanned();
      const { row, shape } = this.row(typeName, sub, reader);
      values.push(rows(row));
      return { key, shape: (row) => (row[at] as unknown[][]).map(shape) };
    });
    this.spend(values.length);
    const object = objectOf(slots);
    return [values, (raw) => object(raw as unknown[])];
  }

  /** The operation's root fields as nested reads, and the answer's `data` from what they read. */
  operation(operation: OperationDefinitionNode, reader: Reader): { roots: NestedRoot[]; data: (read: unknown[]) => Record<string, unknown> } {
    const query = this.schema.getQueryType() ?? unplanned();
    const roots: NestedRoot[] = [];
    const slots = this.fields(operation.selectionSet, query).map((node): Slot => {
      const key = node.alias?.value ?? node.name.value;
      const root = ROOTS[node.name.value] ?? unplanned();
      const field = query.getFields()[node.name.value] ?? unplanned();
      const listQuery = root.query(this.args(field, node));
      const first = this.first(field, node, listQuery);
      const [values, shape] = this.page<NestedRoot>(
        field,
        node,
        root.type,
        reader,
        (row) => ({ kind: 'rows', query: listQuery, limit: first, row }),
        {
          kind: 'count',
          query: listQuery,
        },
      );
      const at = roots.push({ kind: 'array', roots: values }) - 1;
      return { key, shape: (read) => shape(read[at]) };
    });
    this.spend(roots.length);
    return { roots, data: objectOf(slots) };
  }
}

/**
 * Checks the tables above against the schema and the entities: every column a field of its type
 * that reads the property of the same name (no resolver of its own but the plain-list cap), every
 * relation a field of the type. A wrong declaration fails at start, not in an answer.
 */
function check(schema: GraphQLSchema, reader: Reader): void {
  for (const [name, spec] of Object.entries(ROW_TYPES)) {
    const type = schema.getType(name);
    if (!isObjectType(type)) throw new Error(`planner: ${name} is not an object type`);
    const fields = type.getFields();
    for (const column of spec.columns) {
      const field = fields[column];
      if (!field || (field.resolve && field.extensions.plainListCap === undefined))
        throw new Error(`planner: ${name}.${column} is not a plain column field`);
      reader.decoder(spec.entity, column);
    }
    for (const relation of Object.keys(spec.relations)) if (!fields[relation]) throw new Error(`planner: ${name} has no field ${relation}`);
  }
  for (const name of PLAIN_TYPES) {
    const type = schema.getType(name);
    if (!isObjectType(type) || Object.values(type.getFields()).some((f) => f.resolve && f.extensions.plainListCap === undefined)) {
      throw new Error(`planner: ${name} is not plain data`);
    }
  }
}

/**
 * A lookahead planner for the dashboard's questions: a query whose every field it knows (the row
 * types above, their columns and relations, connections' `nodes` and `totalCount`, from the
 * `goals` root) is answered by one SQL statement that builds the whole answer as nested JSON
 * (src/db/nested.ts), instead of one statement per level and a resolver per field. The answer is
 * what the resolvers answer: each column decoded as the read path decodes it and serialised by
 * its GraphQL type, lists cut at their caps, connections' `first` checked by the same rule.
 * Anything else (another field, a cursor, a directive, a non-null field that would be null, a
 * bad argument) answers `null`, and the resolvers run the operation, errors and all.
 */
export function queryPlanner(
  schema: GraphQLSchema,
  reader: Reader,
): (request: Pick<PlanRequest, 'document' | 'operation' | 'variables'>, reader: Reader) => Promise<{ data: Record<string, unknown> } | null> {
  check(schema, reader);
  return async ({ document, operation, variables }, requestReader) => {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    let plan: ReturnType<Planner['operation']>;
    try {
      plan = new Planner(schema, fragments, variables).operation(operation, requestReader);
    } catch (err) {
      if (err instanceof Unplanned) return null;
      throw err;
    }
    try {
      return { data: plan.data(await readNested(requestReader, plan.roots)) };
    } catch (err) {
      // A null where the schema says non-null, or a value its type does not serialise: the resolvers report it as a field error.
      // A statement that failed: the resolvers answer, and the log says why the planner could not.
      if (!(err instanceof Unplanned)) log.warn({ err }, 'the query planner could not answer; the resolvers do');
      return null;
    }
  };
}
