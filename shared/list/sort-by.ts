/**
 * kubectl get's --sort-by (k8s.io/kubectl/pkg/cmd/get/sorter.go): a JSONPath (relaxed as custom
 * columns relax theirs) whose first value orders the objects. Strings that both parse as
 * quantities compare as quantities (`100m` < `1`), other strings by bytes, integers and floats
 * by value (but not with each other), nil first; an object without the field goes before any
 * other. Sorted with Go's own sort.Sort, so ties and missing fields land where kubectl puts them.
 * A field no object has is an error, as in kubectl.
 */
import { ExitCode, PluginError, UsageError } from '../errors.ts';
import { compareCodePoints } from '../output/go-json.ts';
import { goSort } from '../output/go-sort.ts';
import { findResults, JsonPathExecutionError } from '../output/jsonpath/evaluate.ts';
import type { ListNode } from '../output/jsonpath/nodes.ts';
import { JsonPathSyntaxError, parseJsonPath } from '../output/jsonpath/parser.ts';
import { GoByte, goTypeName, kindOf } from '../output/jsonpath/values.ts';
import { relaxedJsonPath } from '../output/custom-columns.ts';
import { parseQuantity } from '../output/quantity.ts';

export interface SortBy {
  /** The template as kubectl shows it in messages (`{.metadata.name}`). */
  field: string;
  path: ListNode;
}

export function parseSortBy(expression: string): SortBy {
  let field = expression;
  try {
    field = relaxedJsonPath(expression);
  } catch {
    // kubectl falls back to the expression as typed.
  }
  try {
    return { field, path: parseJsonPath(field) };
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) throw new UsageError(`sorting error: ${error.message}`, { hint: 'e.g. --sort-by=.metadata.creationTimestamp' });
    throw error;
  }
}

const missing = Symbol('missing');

function firstValue(sortBy: SortBy, object: unknown): unknown {
  try {
    const results = findResults(sortBy.path, object, { allowMissingKeys: true });
    return results.length === 0 || results[0]!.length === 0 ? missing : results[0]![0];
  } catch (error) {
    if (error instanceof JsonPathExecutionError) throw new PluginError(`failed to get values using ${sortBy.field}: ${error.message}`, ExitCode.api, { cause: error });
    throw error;
  }
}

class UnsortableError extends Error {}

/** kubectl's isLess for two values of an unstructured object (Go interface values). */
function isLess(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'nil' && kb === 'nil') return false;
  if (ka === 'nil') return true;
  if (kb === 'nil') return false;
  if (ka === 'map' || ka === 'slice' || ka === 'bool') throw new UnsortableError(`unsortable type: ${goTypeName(a)}`);
  if (ka !== kb) throw new UnsortableError('unsortable interface: interface');
  if (ka === 'string') {
    const qa = parseQuantity(a as string);
    const qb = qa === undefined ? undefined : parseQuantity(b as string);
    if (qa !== undefined && qb !== undefined) return qa < qb;
    return compareCodePoints(a as string, b as string) < 0;
  }
  const na = a instanceof GoByte ? a.value : (a as number);
  const nb = b instanceof GoByte ? b.value : (b as number);
  return na < nb;
}

/**
 * Sorts `items` in place by the values `objectOf` gives them (an object itself, or a Table
 * row's object). An empty list is left alone; a field that no item has is an error.
 */
export function sortByField<T>(items: T[], sortBy: SortBy, objectOf: (item: T) => unknown): void {
  if (items.length === 0) return;
  const values = items.map((item) => firstValue(sortBy, objectOf(item)));
  if (values.every((v) => v === missing)) throw new PluginError(`couldn't find any field with path ${JSON.stringify(sortBy.field)} in the list of objects`, ExitCode.api);
  try {
    goSort({
      length: items.length,
      less(i, j) {
        if (values[i] === missing) return true;
        if (values[j] === missing) return false;
        return isLess(values[i], values[j]);
      },
      swap(i, j) {
        [items[i], items[j]] = [items[j]!, items[i]!];
        [values[i], values[j]] = [values[j], values[i]];
      },
    });
  } catch (error) {
    if (error instanceof UnsortableError) throw new PluginError(`field ${sortBy.field} is an unsortable type: ${error.message}`, ExitCode.api, { cause: error });
    throw error;
  }
}
