/**
 * The parse tree of a client-go JSONPath template (k8s.io/client-go/util/jsonpath/node.go):
 * the template is a list of text and `{…}` actions; an action is a list of steps applied one
 * after the other to the current values.
 */
export type JsonPathNode =
  | { type: 'list'; nodes: JsonPathNode[] }
  | { type: 'text'; text: string }
  | { type: 'field'; name: string }
  | { type: 'identifier'; name: string }
  | { type: 'array'; params: [SliceParam, SliceParam, SliceParam] }
  | { type: 'filter'; left: ListNode; right: ListNode; operator: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  | { type: 'union'; branches: ListNode[] };

export type ListNode = Extract<JsonPathNode, { type: 'list' }>;

/** One of `[start:end:step]`: `known` when typed (or derived, for `[n]`'s end = n + 1). */
export interface SliceParam {
  value: number;
  known: boolean;
  derived: boolean;
}
