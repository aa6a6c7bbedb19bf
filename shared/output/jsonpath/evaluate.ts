/**
 * Runs a parsed JSONPath template over a value, as client-go's JSONPath.FindResults does: each
 * top-level node gives one list of results; `{range X}…{end}` repeats the nodes up to its `end`
 * once per result of X (and, with no result, once over nothing, so errors there still count).
 * Every step maps the current values to new ones; a missing field is no value, or an error
 * when missing keys are not allowed. Errors carry client-go's messages.
 */
import type { JsonPathNode, ListNode } from './nodes.ts';
import { compare, ComparisonError } from './compare.ts';
import { children, GoFloat, goSprint, goTypeName, kindOf } from './values.ts';

export class JsonPathExecutionError extends Error {}

interface Step {
  values: unknown[];
  error?: string;
}

const fail = (values: unknown[], error: string): Step => ({ values, error });

export interface EvaluateOptions {
  allowMissingKeys: boolean;
}

export function findResults(root: ListNode, data: unknown, options: EvaluateOptions): unknown[][] {
  return new Evaluator(root.nodes, options).run(data, 0);
}

class Evaluator {
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  /** Index (in `nodes`) of the last `{end}` met. */
  private lastEnd = -1;

  private readonly nodes: JsonPathNode[];
  private readonly options: EvaluateOptions;
  constructor(nodes: JsonPathNode[], options: EvaluateOptions) {
    this.nodes = nodes;
    this.options = options;
  }

  run(data: unknown, from: number): unknown[][] {
    const cur = [data];
    const full: unknown[][] = [];
    for (let i = from; i < this.nodes.length; i++) {
      const step = this.walk(cur, this.nodes[i]!);
      if (step.error !== undefined) throw new JsonPathExecutionError(step.error);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEnd = i;
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (step.values.length > 0) for (const value of step.values) full.push(...this.run(value, i + 1));
        else this.run(null, i + 1);
        this.inRange--;
        if (this.lastEnd > i) i = this.lastEnd;
        continue;
      }
      full.push(step.values);
    }
    return full;
  }

  private walk(input: unknown[], node: JsonPathNode): Step {
    switch (node.type) {
      case 'list':
        return this.evalList(input, node);
      case 'text':
        return { values: [node.text] };
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return evalArray(input, node.params);
      case 'filter':
        return this.evalFilter(input, node);
      case 'int':
        return { values: input.map(() => node.value) };
      case 'float':
        return { values: input.map(() => new GoFloat(node.value)) };
      case 'bool':
        return { values: input.map(() => node.value) };
      case 'wildcard':
        return { values: input.flatMap(children) };
      case 'recursive':
        return { values: recursive(input) };
      case 'union':
        return this.evalUnion(input, node.branches);
      case 'identifier':
        return this.evalIdentifier(input, node.name);
    }
  }

  private evalList(input: unknown[], node: ListNode): Step {
    let values = input;
    for (const child of node.nodes) {
      const step = this.walk(values, child);
      if (step.error !== undefined) return step;
      values = step.values;
    }
    return { values };
  }

  private evalIdentifier(input: unknown[], name: string): Step {
    if (name === 'range') {
      this.beginRange++;
      return { values: input };
    }
    if (name === 'end') {
      if (this.inRange > 0) {
        this.endRange++;
        return { values: [] };
      }
      return fail([], 'not in range, nothing to end');
    }
    return fail(input, `unrecognized identifier ${name}`);
  }

  private evalField(input: unknown[], name: string): Step {
    if (input.length === 0) return { values: [] };
    const values: unknown[] = [];
    for (const value of input) {
      if (kindOf(value) !== 'map') continue;
      const o = value as Record<string, unknown>;
      if (Object.hasOwn(o, name)) values.push(o[name]);
    }
    if (values.length === 0 && !this.options.allowMissingKeys) return fail(values, `${name} is not found`);
    return { values };
  }

  private evalUnion(input: unknown[], branches: ListNode[]): Step {
    const values: unknown[] = [];
    for (const branch of branches) {
      const step = this.evalList(input, branch);
      if (step.error !== undefined) return fail(input, step.error);
      values.push(...step.values);
    }
    return { values };
  }

  private evalFilter(input: unknown[], node: Extract<JsonPathNode, { type: 'filter' }>): Step {
    const values: unknown[] = [];
    for (const value of input) {
      if (kindOf(value) !== 'slice') return fail(input, `${goSprint(value)} is not array or slice and cannot be filtered`);
      for (const item of value as unknown[]) {
        const lefts = this.evalList([item], node.left);
        if (node.operator === 'exists') {
          if (lefts.values.length > 0) values.push(item);
          continue;
        }
        if (lefts.error !== undefined) return fail(input, lefts.error);
        if (lefts.values.length === 0) continue;
        if (lefts.values.length > 1) return fail(input, 'can only compare one element at a time');
        const rights = this.evalList([item], node.right);
        if (rights.error !== undefined) return fail(input, rights.error);
        if (rights.values.length === 0) continue;
        if (rights.values.length > 1) return fail(input, 'can only compare one element at a time');
        let pass: boolean | undefined;
        try {
          pass = compare(node.operator, lefts.values[0], rights.values[0]);
        } catch (error) {
          if (error instanceof ComparisonError) return fail(values, error.message);
          throw error;
        }
        if (pass === undefined) return fail(values, `unrecognized filter operator ${node.operator}`);
        if (pass) values.push(item);
      }
    }
    return { values };
  }
}

function evalArray(input: unknown[], params: Extract<JsonPathNode, { type: 'array' }>['params']): Step {
  const values: unknown[] = [];
  for (const value of input) {
    const kind = kindOf(value);
    if (kind === 'nil') continue;
    if (kind !== 'slice') return fail(input, `${goTypeName(value)} is not array or slice`);
    const array = value as unknown[];
    const length = array.length;
    let start = params[0].known ? params[0].value : 0;
    if (start < 0) start += length;
    let end = params[1].known ? params[1].value : length;
    if (end < 0 || (end === 0 && params[1].derived)) end += length;
    // Asking for no element is allowed, and ends the step (client-go returns at once).
    if (end === start) return { values };
    if (start >= length || start < 0) return fail(input, `array index out of bounds: index ${start}, length ${length}`);
    if (end > length || end < 0) return fail(input, `array index out of bounds: index ${end - 1}, length ${length}`);
    if (start > end) return fail(input, `starting index ${start} is greater than ending index ${end}`);
    let step = 1;
    if (params[2].known) {
      if (params[2].value <= 0) return fail(input, 'step must be > 0');
      step = params[2].value;
    }
    for (let i = start; i < end; i += step) values.push(array[i]);
  }
  return { values };
}

/** `..`: every value that has something inside (maps, lists, non-empty strings), depth first. */
function recursive(input: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const value of input) {
    if (kindOf(value) === 'nil') continue;
    const inner = children(value);
    if (inner.length > 0) {
      out.push(value);
      out.push(...recursive(inner));
    }
  }
  return out;
}
