/**
 * text/template's executor (exec.go), step for step over our values: walking the tree
 * (actions, if/with/range with else, break/continue, template invocations), evaluating
 * pipelines, commands, fields of maps, variables, function calls with Go's argument checks,
 * and printing results as fmt.Print does (`<no value>` for a missing key). Errors carry Go's
 * text: `template: output:1:2: executing "output" at <.a.b>: nil pointer evaluating interface {}.b`.
 */
import { compareCodePoints } from '../go-json.ts';
import { goSprint, goSprintValue } from './go-fmt.ts';
import { goQuote } from './go-string.ts';
import { FuncError, asAny, goTemplateFuncs, builtinNames, type GoFunc, type ParamType } from './funcs.ts';
import { errorContext, nodeString, type BranchNode, type ChainNode, type CommandNode, type FieldNode, type IdentifierNode, type ListNode, type Node, type NumberNode, type PipeNode, type TemplateNode, type VariableNode } from './nodes.ts';
import { GoComplex, GoFloat, GoInt, Iface, element, indirect, indirectInterface, intValue, isTrue, kindOf, sliceIndex, sliceLength, typeName, type GoMap, type GoSlice, type Value } from './values.ts';

/** An execution error, with Go's message. */
export class TemplateExecError extends Error {}

const maxExecDepth = 100000;

/** A pipeline's previous value, absent. */
const MISSING = Symbol('missing');
type Final = Value | typeof MISSING;

const walkBreak = Symbol('break');
const walkContinue = Symbol('continue');

export interface ExecTemplates {
  lookup(name: string): ListNode | undefined;
  /** --allow-missing-template-keys=false: Go's missingkey=error. */
  missingKeyError: boolean;
}

interface Variable {
  name: string;
  value: Value;
}

/** What an execution writes, shared by the templates it invokes. */
interface Output {
  text: string;
}

class State {
  private readonly templates: ExecTemplates;
  private readonly tmplName: string;
  private readonly out: Output;
  private node: Node | undefined;
  private vars: Variable[];
  private readonly depth: number;

  constructor(templates: ExecTemplates, tmplName: string, out: Output, vars: Variable[], depth: number) {
    this.templates = templates;
    this.tmplName = tmplName;
    this.out = out;
    this.vars = vars;
    this.depth = depth;
  }

  private push(name: string, value: Value): void {
    this.vars.push({ name, value });
  }

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private setVar(name: string, value: Value): void {
    for (let i = this.mark() - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: Value): void {
    this.vars[this.vars.length - n]!.value = value;
  }

  private varValue(name: string): Value {
    for (let i = this.mark() - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.errorf(`undefined variable: ${name}`);
  }

  private at(node: Node): void {
    this.node = node;
  }

  errorf(message: string): never {
    if (this.node === undefined) throw new TemplateExecError(`template: ${this.tmplName}: ${message}`);
    const { location, context } = errorContext(this.node);
    throw new TemplateExecError(`template: ${location}: executing ${goQuote(this.tmplName)} at <${context}>: ${message}`);
  }

  walk(dot: Value, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw walkBreak;
      case 'comment':
        return;
      case 'continue':
        throw walkContinue;
      case 'if':
      case 'with':
        return this.walkIfOrWith(node, dot);
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.out.text += node.text;
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(node: BranchNode, dot: Value): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      const { truth, ok } = isTrue(indirectInterface(val));
      if (!ok) this.errorf(`if/with can't use ${goSprintValue(val)}`);
      if (truth) this.walk(node.type === 'with' ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: Value, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      const val = indirect(this.evalPipeline(dot, r.pipe)).value;
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (index: Value, elem: Value) => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (error) {
          if (error !== walkContinue) throw error;
        } finally {
          this.pop(mark);
        }
      };
      const iterate = (): boolean => {
        switch (kindOf(val)) {
          case 'int':
          case 'uint': {
            if (decl.length > 1) this.errorf(`can't use ${goSprintValue(val)} to iterate over more than one variable`);
            const n = intValue(val);
            const type = val instanceof GoInt ? val.type : 'int64';
            for (let i = 0n; i < n; i++) oneIteration(undefined, new GoInt(type, i));
            return n > 0n;
          }
          case 'slice': {
            const slice = val as GoSlice | unknown[];
            const n = sliceLength(slice);
            for (let i = 0; i < n; i++) oneIteration(new GoInt('int', BigInt(i)), sliceIndex(slice, i));
            return n > 0;
          }
          case 'map': {
            const map = val as GoMap;
            // Go's map order for range: the keys' bytes.
            const keys = Object.keys(map).sort(compareCodePoints);
            for (const key of keys) oneIteration(key, element(map[key]));
            return keys.length > 0;
          }
          case 'invalid':
            return false;
          default:
            this.errorf(`range can't iterate over ${goSprintValue(val)}`);
        }
      };
      if (!iterate() && r.elseList) this.walk(dot, r.elseList);
    } catch (error) {
      if (error !== walkBreak) throw error;
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: Value, t: TemplateNode): void {
    this.at(t);
    const root = this.templates.lookup(t.name);
    if (root === undefined) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth === maxExecDepth) this.errorf(`exceeded maximum template depth (${maxExecDepth})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    const state = new State(this.templates, t.name, this.out, [{ name: '$', value: newDot }], this.depth + 1);
    try {
      state.walk(newDot, root);
    } catch (error) {
      // Our stack ends before Go's depth limit: report it as Go would.
      if (error instanceof RangeError && error.message.includes('call stack')) {
        this.at(t);
        this.errorf(`exceeded maximum template depth (${maxExecDepth})`);
      }
      throw error;
    }
  }

  evalPipeline(dot: Value, pipe: PipeNode | undefined): Value {
    if (pipe === undefined) return undefined;
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      if (value instanceof Iface) value = value.inner === null ? undefined : value.inner;
    }
    const result = value === MISSING ? undefined : value;
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0]!, result);
      else this.push(variable.ident[0]!, result);
    }
    return result;
  }

  private notAFunction(args: Node[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args![0]!)}`);
  }

  private evalCommand(dot: Value, cmd: CommandNode, final: Final): Value {
    const firstWord = cmd.args[0]!;
    switch (firstWord.type) {
      case 'field':
        return this.evalFieldNode(dot, firstWord, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, firstWord, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, firstWord, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, firstWord);
      case 'variable':
        return this.evalVariableNode(dot, firstWord, cmd.args, final);
    }
    this.at(firstWord);
    this.notAFunction(cmd.args, final);
    switch (firstWord.type) {
      case 'bool':
        return firstWord.true;
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(firstWord);
      case 'string':
        return firstWord.text;
    }
    this.errorf(`can't evaluate command ${goQuote(nodeString(firstWord))}`);
  }

  private idealConstant(constant: NumberNode): Value {
    this.at(constant);
    const text = constant.text;
    const isHexInt = text.length > 2 && text[0] === '0' && (text[1] === 'x' || text[1] === 'X') && !/[pP]/.test(text);
    const isRuneInt = text[0] === "'";
    if (constant.isComplex) return new GoComplex(constant.complex[0], constant.complex[1]);
    if (constant.isFloat && !isHexInt && !isRuneInt && /[.eEpP]/.test(text)) return new GoFloat(constant.float64);
    if (constant.isInt) return new GoInt('int', constant.int64);
    if (constant.isUint) this.errorf(`${text} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: Value, field: FieldNode, args: Node[] | null, final: Final): Value {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: Value, chain: ChainNode, args: Node[] | null, final: Final): Value {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: Value, variable: VariableNode, args: Node[] | null, final: Final): Value {
    this.at(variable);
    const value = this.varValue(variable.ident[0]!);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, variable, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: Value, receiver: Value, node: Node, ident: string[], args: Node[] | null, final: Final): Value {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver);
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver);
  }

  private evalFunction(dot: Value, node: IdentifierNode, cmd: Node, args: Node[] | null, final: Final): Value {
    this.at(node);
    const name = node.ident;
    const fn = goTemplateFuncs.get(name);
    if (fn === undefined) this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, fn, builtinNames.has(name), cmd, name, args, final);
  }

  /** A field of a map (our data has no structs and no methods). */
  private evalField(_dot: Value, fieldName: string, _node: Node, args: Node[] | null, final: Final, receiver: Value): Value {
    if (receiver === undefined) {
      if (this.templates.missingKeyError) this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    const typ = typeName(receiver);
    const { value, isNil } = indirect(receiver);
    if (value instanceof Iface && isNil) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const hasArgs = (args?.length ?? 0) > 1 || final !== MISSING;
    if (kindOf(value) === 'map') {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const map = value as GoMap;
      if (Object.hasOwn(map, fieldName)) return element(map[fieldName]);
      if (this.templates.missingKeyError) this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalCall(dot: Value, fun: GoFunc, isBuiltin: boolean, node: Node, name: string, argNodes: Node[] | null, final: Final): Value {
    const args = argNodes === null ? [] : argNodes.slice(1);
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    let numFixed = args.length;
    if (fun.variadic) {
      numFixed = fun.in.length - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${fun.in.length - 1} got ${args.length}`);
    } else if (numIn !== fun.in.length) this.errorf(`wrong number of args for ${name}: want ${fun.in.length} got ${numIn}`);

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: Value = undefined;
      for (const arg of args) {
        v = this.evalArg(dot, 'value', arg);
        if (isTrue(indirectInterface(v)).truth === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }

    const argv: Value[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv[i] = this.evalArg(dot, fun.in[i]!, args[i]!);
    if (fun.variadic) {
      const argType = fun.in[fun.in.length - 1]!;
      for (; i < args.length; i++) argv[i] = this.evalArg(dot, argType, args[i]!);
    }
    if (final !== MISSING) {
      let t = fun.in[fun.in.length - 1]!;
      if (fun.variadic && numIn - 1 < numFixed) t = fun.in[numIn - 1]!;
      argv[i] = this.validateType(final, t);
    }
    try {
      if (isBuiltin && name === 'call') return callFunction(args.length === 0 ? reflectValueString(final as Value) : nodeString(args[0]!), argv);
      return fun.fn(argv);
    } catch (error) {
      if (!(error instanceof FuncError)) throw error;
      this.at(node);
      this.errorf(`error calling ${name}: ${error.message}`);
    }
  }

  /** validateType: the value as the parameter receives it (null: no type, from a chain). */
  private validateType(value: Value, typ: ParamType | null): Value {
    if (value === undefined) {
      if (typ === null || typ === 'value') return undefined;
      if (typ === 'any') return new Iface(null);
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === 'string' && typeof value !== 'string') {
      if (value instanceof Iface && value.inner !== null) {
        if (typeof value.inner === 'string') return value.inner;
        this.errorf(`wrong type for value; expected string; got ${typeName(value.inner)}`);
      }
      this.errorf(`wrong type for value; expected string; got ${typeName(value)}`);
    }
    return value;
  }

  private evalArg(dot: Value, typ: ParamType | null, n: Node): Value {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'value') return undefined;
        if (typ === 'any') return new Iface(null);
        return this.errorf(`cannot assign nil to ${typ}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    if (typ === 'string') {
      this.at(n);
      if (n.type === 'string') return n.text;
      this.errorf(`expected string; found ${nodeString(n)}`);
    }
    return this.evalEmptyInterface(dot, n);
  }

  private evalEmptyInterface(dot: Value, n: Node): Value {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return n.true;
      case 'dot':
        return dot;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  private printValue(n: Node, v: Value): void {
    this.at(n);
    this.out.text += v === undefined ? '<no value>' : goSprint([asAny(v)]);
  }
}


/** reflect.Value.String(): a string's text, else `<T Value>`. */
function reflectValueString(v: Value): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '<invalid Value>';
  return `<${typeName(v)} Value>`;
}

/** The `call` builtin: nothing in kubectl's data is a function. */
function callFunction(name: string, argv: Value[]): Value {
  const fn = indirectInterface(argv[0]);
  if (fn === undefined) throw new FuncError('call of nil');
  throw new FuncError(`non-function ${name} of type ${typeName(fn)}`);
}

/** Runs a template's tree on data: the output, and the error that stopped it (after what it printed). */
export function executeTemplate(templates: ExecTemplates, name: string, root: ListNode, data: Value): { output: string; error?: TemplateExecError } {
  const out: Output = { text: '' };
  const state = new State(templates, name, out, [{ name: '$', value: data }], 0);
  try {
    state.walk(data, root);
  } catch (error) {
    if (error instanceof TemplateExecError) return { output: out.text, error };
    throw error;
  }
  return { output: out.text };
}
