/**
 * text/template/parse's parser (parse.go): a template's text to its trees (the template itself
 * and each `{{define}}` or `{{block}}`), with Go's checks and messages: unknown functions,
 * undefined variables, `{{break}}` outside `{{range}}`, a non-executable pipeline stage, an
 * unexpected token (`template: output:1: unexpected "}" in operand`), and the lexer's errors
 * (`template: output:1: unclosed action`).
 */
import { GoSyntaxError, goQuote, goUnquote, unquoteChar } from './go-string.ts';
import { NumError, parseFloat64, parseInt64, parseUint } from './go-strconv.ts';
import { Item, itemString, Lexer, type ItemType, type LexItem } from './lexer.ts';
import { isEmptyTree, nodeString, type BranchNode, type CommandNode, type ElseNode, type EndNode, type ListNode, type Node, type NumberNode, type PipeNode, type TemplateNode, type TreeRef, type VariableNode } from './nodes.ts';

/** A template that does not parse: Go's message, `template: NAME:LINE: reason`. */
export class TemplateParseError extends Error {}

const maxStackDepth = 10000;

export class Tree implements TreeRef {
  name: string;
  parseName = '';
  text = '';
  root: ListNode | undefined;
  private funcs: ReadonlySet<string>;
  private lex!: Lexer;
  private token: LexItem[] = [];
  private peekCount = 0;
  private vars: string[] = [];
  private treeSet!: Map<string, Tree>;
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;

  constructor(name: string, funcs: ReadonlySet<string>) {
    this.name = name;
    this.funcs = funcs;
  }

  private next(): LexItem {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount]!;
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: LexItem): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: LexItem, t1: LexItem): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): LexItem {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }

  private nextNonSpace(): LexItem {
    let token: LexItem;
    do token = this.next();
    while (token.typ === Item.space);
    return token;
  }

  private peekNonSpace(): LexItem {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  errorf(message: string): never {
    this.root = undefined;
    throw new TemplateParseError(`template: ${this.parseName}:${this.token[0]?.line ?? 0}: ${message}`);
  }

  private expect(expected: ItemType, context: string): LexItem {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  private expectOneOf(expected1: ItemType, expected2: ItemType, context: string): LexItem {
    const token = this.nextNonSpace();
    if (token.typ !== expected1 && token.typ !== expected2) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: LexItem, context: string): never {
    if (token.typ === Item.error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  private startParse(lex: Lexer, treeSet: Map<string, Tree>): void {
    this.root = undefined;
    this.lex = lex;
    this.vars = ['$'];
    this.treeSet = treeSet;
    this.stackDepth = 0;
    lex.breakOK = !this.funcs.has('break');
    lex.continueOK = !this.funcs.has('continue');
  }

  /** Tree.Parse: the template's trees into treeSet. */
  parse(text: string, treeSet: Map<string, Tree>): void {
    this.parseName = this.name;
    this.startParse(new Lexer(text), treeSet);
    this.text = text;
    this.parseTop();
    this.add();
  }

  private add(): void {
    const tree = this.treeSet.get(this.name);
    if (tree === undefined || isEmptyTree(tree.root)) {
      this.treeSet.set(this.name, this);
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  private child(name: string): Tree {
    const t = new Tree(name, this.funcs);
    t.text = this.text;
    t.parseName = this.parseName;
    t.startParse(this.lex, this.treeSet);
    return t;
  }

  private parseTop(): void {
    this.root = this.newList(this.peek().pos);
    while (this.peek().typ !== Item.eof) {
      if (this.peek().typ === Item.leftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === Item.define) {
          const newT = this.child('definition');
          newT.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf(Item.string, Item.rawString, context);
    this.name = this.unquote(name.val);
    this.expect(Item.rightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private unquote(s: string): string {
    try {
      return goUnquote(s);
    } catch (error) {
      if (error instanceof GoSyntaxError) this.errorf(error.message);
      throw error;
    }
  }

  private itemList(): [ListNode, Node] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== Item.eof) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case Item.text:
        return { type: 'text', pos: token.pos, tree: this, text: token.val };
      case Item.leftDelim:
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      case Item.comment:
        return { type: 'comment', pos: token.pos, tree: this, text: token.val };
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case Item.block:
        return this.blockControl();
      case Item.break:
        return this.breakControl(token.pos, token.line);
      case Item.continue:
        return this.continueControl(token.pos, token.line);
      case Item.else:
        return this.elseControl();
      case Item.end:
        return this.endControl();
      case Item.if:
        return this.ifControl();
      case Item.range:
        return this.rangeControl();
      case Item.template:
        return this.templateControl();
      case Item.with:
        return this.withControl();
    }
    this.backup();
    const peeked = this.peek();
    return { type: 'action', pos: peeked.pos, tree: this, line: peeked.line, pipe: this.pipeline('command', Item.rightDelim) };
  }

  private breakControl(pos: number, line: number): Node {
    const token = this.nextNonSpace();
    if (token.typ !== Item.rightDelim) this.unexpected(token, '{{break}}');
    if (this.rangeDepth === 0) this.errorf('{{break}} outside {{range}}');
    return { type: 'break', pos, tree: this, line };
  }

  private continueControl(pos: number, line: number): Node {
    const token = this.nextNonSpace();
    if (token.typ !== Item.rightDelim) this.unexpected(token, '{{continue}}');
    if (this.rangeDepth === 0) this.errorf('{{continue}} outside {{range}}');
    return { type: 'continue', pos, tree: this, line };
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: first.pos, tree: this, line: first.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ === Item.variable) {
        this.next();
        const tokenAfterVariable = this.peek();
        const next = this.peekNonSpace();
        if (next.typ === Item.assign || next.typ === Item.declare) {
          pipe.isAssign = next.typ === Item.assign;
          this.nextNonSpace();
          pipe.decl.push(this.newVariable(v.pos, v.val));
          this.vars.push(v.val);
        } else if (next.typ === Item.char && next.val === ',') {
          this.nextNonSpace();
          pipe.decl.push(this.newVariable(v.pos, v.val));
          this.vars.push(v.val);
          if (context === 'range' && pipe.decl.length < 2) {
            const t = this.peekNonSpace().typ;
            if (t === Item.variable || t === Item.rightDelim || t === Item.rightParen) continue decls;
            this.errorf('range can only initialize variables');
          }
          this.errorf(`too many declarations in ${context}`);
        } else if (tokenAfterVariable.typ === Item.space) this.backup3(v, tokenAfterVariable);
        else this.backup2(v);
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case Item.bool:
        case Item.charConstant:
        case Item.complex:
        case Item.dot:
        case Item.field:
        case Item.identifier:
        case Item.number:
        case Item.nil:
        case Item.rawString:
        case Item.string:
        case Item.variable:
        case Item.leftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]!.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') this.errorf(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  private parseControl(context: string): { pos: number; line: number; pipe: PipeNode; list: ListNode; elseList: ListNode | undefined } {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, Item.rightDelim);
      if (context === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === 'else') {
        if (context === 'if' && this.peek().typ === Item.if) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.ifControl());
        } else if (context === 'with' && this.peek().typ === Item.with) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.withControl());
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private branch(type: BranchNode['type']): BranchNode {
    const { pos, line, pipe, list, elseList } = this.parseControl(type);
    return { type, pos, tree: this, line, pipe, list, elseList };
  }

  private ifControl(): Node {
    return this.branch('if');
  }

  private rangeControl(): Node {
    return this.branch('range');
  }

  private withControl(): Node {
    return this.branch('with');
  }

  private endControl(): EndNode {
    return { type: 'end', pos: this.expect(Item.rightDelim, 'end').pos, tree: this };
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.typ === Item.if || peek.typ === Item.with) return { type: 'else', pos: peek.pos, tree: this, line: peek.line };
    const token = this.expect(Item.rightDelim, 'else');
    return { type: 'else', pos: token.pos, tree: this, line: token.line };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, Item.rightDelim);
    const block = this.child(name);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return { type: 'template', pos: token.pos, tree: this, line: token.line, name, pipe } satisfies TemplateNode;
  }

  private templateControl(): Node {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().typ !== Item.rightDelim) {
      this.backup();
      pipe = this.pipeline(context, Item.rightDelim);
    }
    return { type: 'template', pos: token.pos, tree: this, line: token.line, name, pipe } satisfies TemplateNode;
  }

  private parseTemplateName(token: LexItem, context: string): string {
    if (token.typ === Item.string || token.typ === Item.rawString) return this.unquote(token.val);
    this.unexpected(token, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, tree: this, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== undefined) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === Item.space) continue;
      if (token.typ === Item.rightDelim || token.typ === Item.rightParen) this.backup();
      else if (token.typ !== Item.pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | undefined {
    let node = this.term();
    if (node === undefined) return undefined;
    if (this.peek().typ === Item.field) {
      const chainPos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === Item.field) fields.push(this.next().val.slice(1));
      const chainText = (node.type === 'pipe' ? `(${nodeString(node)})` : nodeString(node)) + fields.map((f) => `.${f}`).join('');
      switch (node.type) {
        case 'field':
          node = { type: 'field', pos: chainPos, tree: this, ident: chainText.slice(1).split('.') };
          break;
        case 'variable':
          node = this.newVariable(chainPos, chainText);
          break;
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
          break;
        default:
          node = { type: 'chain', pos: chainPos, tree: this, node, field: fields };
      }
    }
    return node;
  }

  private term(): Node | undefined {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case Item.identifier:
        if (!this.funcs.has(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`);
        return { type: 'identifier', pos: token.pos, tree: this, ident: token.val };
      case Item.dot:
        return { type: 'dot', pos: token.pos, tree: this };
      case Item.nil:
        return { type: 'nil', pos: token.pos, tree: this };
      case Item.variable:
        return this.useVar(token.pos, token.val);
      case Item.field:
        return { type: 'field', pos: token.pos, tree: this, ident: token.val.slice(1).split('.') };
      case Item.bool:
        return { type: 'bool', pos: token.pos, tree: this, true: token.val === 'true' };
      case Item.charConstant:
      case Item.complex:
      case Item.number:
        return this.newNumber(token.pos, token.val, token.typ);
      case Item.leftParen: {
        if (this.stackDepth >= maxStackDepth) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          return this.pipeline('parenthesized pipeline', Item.rightParen);
        } finally {
          this.stackDepth--;
        }
      }
      case Item.string:
      case Item.rawString:
        return { type: 'string', pos: token.pos, tree: this, quoted: token.val, text: this.unquote(token.val) };
    }
    this.backup();
    return undefined;
  }

  private newVariable(pos: number, ident: string): VariableNode {
    return { type: 'variable', pos, tree: this, ident: ident.split('.') };
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (!this.vars.includes(v.ident[0]!)) this.errorf(`undefined variable ${goQuote(v.ident[0]!)}`);
    return v;
  }

  private newList(pos: number): ListNode {
    return { type: 'list', pos, tree: this, nodes: [] };
  }

  /** parse.newNumber: the constant under every type that can hold it, as Go's ideal constants. */
  private newNumber(pos: number, text: string, typ: ItemType): NumberNode {
    const n: NumberNode = { type: 'number', pos, tree: this, isInt: false, isUint: false, isFloat: false, isComplex: false, int64: 0n, uint64: 0n, float64: 0, complex: [0, 0], text };
    if (typ === Item.charConstant) {
      let r: { value: number; tail: string };
      try {
        r = unquoteChar(text.slice(1), text[0]!);
      } catch (error) {
        if (error instanceof GoSyntaxError) this.errorf(error.message);
        throw error;
      }
      if (r.tail !== "'") this.errorf(`malformed character constant: ${text}`);
      Object.assign(n, { int64: BigInt(r.value), isInt: true, uint64: BigInt(r.value), isUint: true, float64: r.value, isFloat: true });
      return n;
    }
    if (typ === Item.complex) {
      const split = /^(.*[^eEpP+-])([+-].*)i$/.exec(text);
      const re = split ? tryFloat(split[1]!) : undefined;
      const im = split ? tryFloat(split[2]!) : undefined;
      if (re === undefined || im === undefined) this.errorf(`expected integer`);
      n.isComplex = true;
      n.complex = [re, im];
      simplifyComplex(n);
      return n;
    }
    if (text.endsWith('i')) {
      const f = tryFloat(text.slice(0, -1));
      if (f !== undefined) {
        n.isComplex = true;
        n.complex = [0, f];
        simplifyComplex(n);
        return n;
      }
    }
    let u: bigint | undefined;
    try {
      u = parseUint(text);
      n.isUint = true;
      n.uint64 = u;
    } catch (error) {
      if (!(error instanceof NumError)) throw error;
    }
    try {
      const i = parseInt64(text);
      n.isInt = true;
      n.int64 = i;
      if (i === 0n) {
        n.isUint = true;
        n.uint64 = u ?? 0n;
      }
    } catch (error) {
      if (!(error instanceof NumError)) throw error;
    }
    if (n.isInt) {
      n.isFloat = true;
      n.float64 = Number(n.int64);
    } else if (n.isUint) {
      n.isFloat = true;
      n.float64 = Number(n.uint64);
    } else {
      const f = tryFloat(text);
      if (f !== undefined) {
        if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${goQuote(text)}`);
        n.isFloat = true;
        n.float64 = f;
        if (fitsInt64(f)) {
          n.isInt = true;
          n.int64 = BigInt(f);
        }
        if (fitsUint64(f)) {
          n.isUint = true;
          n.uint64 = BigInt(f);
        }
      }
    }
    if (!n.isInt && !n.isUint && !n.isFloat) this.errorf(`illegal number syntax: ${goQuote(text)}`);
    return n;
  }
}

function tryFloat(s: string): number | undefined {
  try {
    return parseFloat64(s);
  } catch (error) {
    if (error instanceof NumError) return undefined;
    throw error;
  }
}

function fitsInt64(f: number): boolean {
  return Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63;
}

function fitsUint64(f: number): boolean {
  return Number.isInteger(f) && f >= 0 && f < 2 ** 64;
}

function simplifyComplex(n: NumberNode): void {
  n.isFloat = n.complex[1] === 0;
  if (n.isFloat) {
    n.float64 = n.complex[0];
    n.isInt = fitsInt64(n.float64);
    if (n.isInt) n.int64 = BigInt(n.float64);
    n.isUint = fitsUint64(n.float64);
    if (n.isUint) n.uint64 = BigInt(n.float64);
  }
}

/** parse.Parse: the trees of a template's text, by name; throws TemplateParseError. */
export function parseTemplate(name: string, text: string, funcs: ReadonlySet<string>): Map<string, Tree> {
  const treeSet = new Map<string, Tree>();
  const t = new Tree(name, funcs);
  t.text = text;
  try {
    t.parse(text, treeSet);
  } catch (error) {
    // Nesting deep enough to exhaust our stack (Go allows 10000 parentheses) ends as Go's limit would.
    if (error instanceof RangeError) throw new TemplateParseError(`template: ${name}:1: max expression depth exceeded`);
    throw error;
  }
  return treeSet;
}
