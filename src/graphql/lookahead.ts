import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The columns of an object type's rows that a selection may leave out (large JSON documents such as
 * a model card, and the other columns a field of the same name shows) and the fields known to read
 * none of them. The fields of the type not listed as light may read anything, so selecting one of
 * them reads the whole row.
 */
export interface HeavyColumns {
  /** Properties of the row, each shown by the field of the same name. */
  heavy: readonly string[];
  /** The fields a selection may hold and still leave columns out: the light ones and the heavy ones. */
  narrowable: ReadonlySet<string>;
  /** `unreadColumns`'s answers, per field node (or list of them) of a document. */
  unread: WeakMap<object, readonly string[]>;
  /** The same for connections of the type, whose rows are selected under `nodes` and `edges { node }`. */
  unreadInPage: WeakMap<object, readonly string[]>;
}

/** Declares the heavy columns of a type; `light` lists the fields that read none of them. */
export function heavyColumns(heavy: readonly string[], light: readonly string[]): HeavyColumns {
  return { heavy, narrowable: new Set(['__typename', ...light, ...heavy]), unread: new WeakMap(), unreadInPage: new WeakMap() };
}

/**
 * Visits the fields selected under `set`, through fragments (each fragment once per walk); true
 * as soon as `visit` answers true for one (it reads the whole row).
 */
function someField(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  visited: Set<string>,
  visit: (field: FieldNode) => boolean,
): boolean {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (visit(selection)) return true;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (someField(selection.selectionSet, fragments, visited, visit)) return true;
    } else if (!visited.has(selection.name.value)) {
      visited.add(selection.name.value);
      const fragment = fragments[selection.name.value];
      if (!fragment || someField(fragment.selectionSet, fragments, visited, visit)) return true;
    }
  }
  return false;
}

/** What a connection shows besides its rows, none of which reads a row's columns (`endCursor` reads only the order's, never left out). */
const PAGE_FIELDS: ReadonlySet<string> = new Set(['__typename', 'pageInfo', 'totalCount']);

/**
 * The heavy columns of `shape` that no field under `nodes` (the object itself, or a connection's
 * `nodes` and `edges { node }` when `page`) reads; none when one of them is not narrowable.
 */
function unread(
  nodes: readonly FieldNode[],
  fragments: Record<string, FragmentDefinitionNode>,
  shape: HeavyColumns,
  page: boolean,
): readonly string[] {
  const selected = new Set<string>();
  // One set per level (the connection, its edges, the rows): a fragment is walked once per level, however often it is spread.
  const [pageVisited, edgesVisited, rowsVisited] = [new Set<string>(), new Set<string>(), new Set<string>()];
  const row = (field: FieldNode) => {
    if (!shape.narrowable.has(field.name.value)) return true;
    selected.add(field.name.value);
    return false;
  };
  const rowsOf = (set: SelectionSetNode | undefined) => someField(set, fragments, rowsVisited, row);
  const edge = (field: FieldNode) =>
    field.name.value === 'node' ? rowsOf(field.selectionSet) : field.name.value !== 'cursor' && field.name.value !== '__typename';
  const inPage = (field: FieldNode) => {
    if (field.name.value === 'nodes') return rowsOf(field.selectionSet);
    if (field.name.value === 'edges') return someField(field.selectionSet, fragments, edgesVisited, edge);
    return !PAGE_FIELDS.has(field.name.value);
  };
  const readsAll = nodes.some((node) => (page ? someField(node.selectionSet, fragments, pageVisited, inPage) : rowsOf(node.selectionSet)));
  return readsAll ? [] : shape.heavy.filter((k) => !selected.has(k));
}

/**
 * The heavy columns the field being resolved does not need: those whose field its selection
 * leaves out, when everything else it selects is light; none when it selects any other field.
 * `@skip` and `@include` are not evaluated (a field that may be skipped counts as selected), so the
 * answer errs towards reading more. Kept per field of the document: a cached document costs a
 * lookup.
 */
export function unreadColumns(info: GraphQLResolveInfo, shape: HeavyColumns): readonly string[] {
  return cached(info, shape, shape.unread, false);
}

/** `unreadColumns` for a connection of the type: the fields under its `nodes` and `edges { node }`. */
export function unreadColumnsInPage(info: GraphQLResolveInfo, shape: HeavyColumns): readonly string[] {
  return cached(info, shape, shape.unreadInPage, true);
}

function cached(info: GraphQLResolveInfo, shape: HeavyColumns, answers: WeakMap<object, readonly string[]>, page: boolean): readonly string[] {
  // One node: the node, the same in every execution of a cached document. Several (a field asked
  // for more than once): their list, the same for every sibling object in one execution.
  const key = info.fieldNodes.length === 1 ? info.fieldNodes[0] : info.fieldNodes;
  let answer = answers.get(key);
  if (!answer) {
    answer = unread(info.fieldNodes, info.fragments, shape, page);
    answers.set(key, answer);
  }
  return answer;
}
