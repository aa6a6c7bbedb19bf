/**
 * text/template/parse's nodes (node.go): the parse tree of a template, each node with its
 * position and Go's String() (what an execution error shows between `<` and `>`).
 */
import { goQuote } from './go-string.ts';

/** What a node needs of its tree: the text (for error positions) and the top-level name. */
export interface TreeRef {
  name: string;
  parseName: string;
  text: string;
}

interface Base {
  pos: number;
  tree: TreeRef;
}

export interface TextNode extends Base {
  type: 'text';
  text: string;
}
export interface CommentNode extends Base {
  type: 'comment';
  text: string;
}
export interface ActionNode extends Base {
  type: 'action';
  line: number;
  pipe: PipeNode;
}
export interface PipeNode extends Base {
  type: 'pipe';
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode extends Base {
  type: 'command';
  args: Node[];
}
export interface IdentifierNode extends Base {
  type: 'identifier';
  ident: string;
}
export interface VariableNode extends Base {
  type: 'variable';
  ident: string[];
}
export interface DotNode extends Base {
  type: 'dot';
}
export interface NilNode extends Base {
  type: 'nil';
}
export interface FieldNode extends Base {
  type: 'field';
  ident: string[];
}
export interface ChainNode extends Base {
  type: 'chain';
  node: Node;
  field: string[];
}
export interface BoolNode extends Base {
  type: 'bool';
  true: boolean;
}
export interface NumberNode extends Base {
  type: 'number';
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int64: bigint;
  uint64: bigint;
  float64: number;
  complex: [number, number];
  text: string;
}
export interface StringNode extends Base {
  type: 'string';
  quoted: string;
  text: string;
}
export interface EndNode extends Base {
  type: 'end';
}
export interface ElseNode extends Base {
  type: 'else';
  line: number;
}
export interface BranchNode extends Base {
  type: 'if' | 'range' | 'with';
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | undefined;
}
export interface BreakNode extends Base {
  type: 'break';
  line: number;
}
export interface ContinueNode extends Base {
  type: 'continue';
  line: number;
}
export interface TemplateNode extends Base {
  type: 'template';
  line: number;
  name: string;
  pipe: PipeNode | undefined;
}
export interface ListNode extends Base {
  type: 'list';
  nodes: Node[];
}

export type Node =
  | TextNode
  | CommentNode
  | ActionNode
  | PipeNode
  | CommandNode
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | EndNode
  | ElseNode
  | BranchNode
  | BreakNode
  | ContinueNode
  | TemplateNode
  | ListNode;

/** Node.String() (with text nodes quoted: Go's textFormat "%q" of its own tests). */
export function nodeString(n: Node, quoteText = false): string {
  const str = (m: Node) => nodeString(m, quoteText);
  switch (n.type) {
    case 'text':
      return quoteText ? goQuote(n.text) : n.text;
    case 'comment':
      return `{{${n.text}}}`;
    case 'action':
      return `{{${str(n.pipe)}}}`;
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) s = `${n.decl.map(str).join(', ')}${n.isAssign ? ' = ' : ' := '}`;
      return s + n.cmds.map(str).join(' | ');
    }
    case 'command':
      return n.args.map((arg) => (arg.type === 'pipe' ? `(${str(arg)})` : str(arg))).join(' ');
    case 'identifier':
      return n.ident;
    case 'variable':
      return n.ident.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'field':
      return n.ident.map((id) => `.${id}`).join('');
    case 'chain':
      return (n.node.type === 'pipe' ? `(${str(n.node)})` : str(n.node)) + n.field.map((f) => `.${f}`).join('');
    case 'bool':
      return n.true ? 'true' : 'false';
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'end':
      return '{{end}}';
    case 'else':
      return '{{else}}';
    case 'if':
    case 'range':
    case 'with':
      return `{{${n.type} ${str(n.pipe)}}}${str(n.list)}${n.elseList ? `{{else}}${str(n.elseList)}` : ''}{{end}}`;
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
    case 'template':
      return `{{template ${goQuote(n.name)}${n.pipe ? ` ${str(n.pipe)}` : ''}}}`;
    case 'list':
      return n.nodes.map(str).join('');
  }
}

/** Tree.ErrorContext: `name:line:col` (col in bytes, counted from 0 on the first line and from 1 after) and the node's text. */
export function errorContext(n: Node): { location: string; context: string } {
  const text = n.tree.text.slice(0, n.pos);
  const lastNewline = text.lastIndexOf('\n');
  const byteNum = lastNewline === -1 ? Buffer.byteLength(text) : Buffer.byteLength(text.slice(lastNewline + 1));
  let lineNum = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineNum++;
  return { location: `${n.tree.parseName}:${lineNum}:${byteNum}`, context: nodeString(n) };
}

/** parse.IsEmptyTree: only spaces and comments. */
export function isEmptyTree(n: Node | undefined): boolean {
  if (n === undefined) return true;
  switch (n.type) {
    case 'comment':
      return true;
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      // unicode.IsSpace (White_Space): not JavaScript's \s, which has U+FEFF and lacks U+0085.
      return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/.test(n.text);
    default:
      return false;
  }
}
