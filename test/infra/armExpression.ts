// A small evaluator for the ARM template expression language, enough for what `bicep build` emits for infra/: it lets
// the tests compute the app settings a deployment would produce (with stubbed runtime values for reference()) and feed
// them to the app's own config loader, instead of only pattern-matching expression strings.
// Unknown functions throw, so a template that starts using one fails the tests loudly rather than evaluating wrongly.
import { createHash } from 'node:crypto';

export type ArmValue = string | number | boolean | null | ArmValue[] | { [key: string]: ArmValue };
export type ArmObject = { [key: string]: ArmValue };

/** Where an expression's parameters(), variables() and reference() calls are looked up. */
export interface ArmScope {
  parameter(name: string): ArmValue;
  variable(name: string): ArmValue;
  reference(symbolOrId: string): ArmValue;
  /** copyIndex() inside a resource or property loop; undefined outside one. */
  copyIndex?(): number | undefined;
  /** lambdaVariables(name) inside a lambda's body. */
  lambdaVariable?(name: string): ArmValue;
}

/** A lambda() value: only map(), filter() and friends can use it. */
type Lambda = (...args: ArmValue[]) => ArmValue;
const lambdas = new WeakMap<object, Lambda>();

function lambdaOf(value: ArmValue | undefined, fn: string): Lambda {
  const l = value !== null && typeof value === 'object' ? lambdas.get(value) : undefined;
  if (!l) throw new ArmExpressionError(`${fn}() needs a lambda`);
  return l;
}

/** A scope that adds lambda parameters to `parent`. */
function lambdaScope(parent: ArmScope, bound: Record<string, ArmValue>): ArmScope {
  return {
    parameter: (n) => parent.parameter(n),
    variable: (n) => parent.variable(n),
    reference: (n) => parent.reference(n),
    copyIndex: () => parent.copyIndex?.(),
    lambdaVariable: (n) => (n in bound ? (bound[n] as ArmValue) : (parent.lambdaVariable?.(n) ?? fail(`no lambda variable ${n}`))),
  };
}

function fail(message: string): never {
  throw new ArmExpressionError(message);
}

/** Fixed identity of the pretend deployment target, so resourceId()/guid()/uniqueString() are deterministic. */
export const FAKE_SUBSCRIPTION_ID = '00000000-0000-0000-0000-00000000000a';
export const FAKE_TENANT_ID = '00000000-0000-0000-0000-00000000000b';

export class ArmExpressionError extends Error {
  override readonly name = 'ArmExpressionError';
}

/** True for a string ARM evaluates (`[...]`), false for a literal (including the `[[` escape). */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('[') && !value.startsWith('[[') && value.endsWith(']');
}

/** Evaluates every expression inside a value (objects and arrays deeply); literals pass through. */
export function evaluateDeep(value: ArmValue, scope: ArmScope): ArmValue {
  if (typeof value === 'string') {
    if (isExpression(value)) return evaluateExpression(value, scope);
    return value.startsWith('[[') ? value.slice(1) : value;
  }
  if (Array.isArray(value)) return value.map((v) => evaluateDeep(v, scope));
  if (value !== null && typeof value === 'object') {
    // Property names can be expressions too (e.g. the identity id keying userAssignedIdentities).
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [toArmString(evaluateDeep(k, scope)), evaluateDeep(v, scope)]));
  }
  return value;
}

/** Evaluates one `[...]` expression string. */
export function evaluateExpression(expression: string, scope: ArmScope): ArmValue {
  const parser = new Parser(expression.slice(1, -1));
  const node = parser.parseExpression();
  parser.expectEnd();
  return evaluateNode(node, scope);
}

type Node =
  | { kind: 'literal'; value: ArmValue }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'member'; target: Node; property: string }
  | { kind: 'index'; target: Node; index: Node };

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseExpression(): Node {
    this.skipSpace();
    let node = this.parsePrimary();
    for (;;) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === '.') {
        this.pos++;
        node = { kind: 'member', target: node, property: this.parseIdentifier() };
      } else if (c === '[') {
        this.pos++;
        const index = this.parseExpression();
        this.expect(']');
        node = { kind: 'index', target: node, index };
      } else {
        return node;
      }
    }
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('unexpected trailing text');
  }

  private parsePrimary(): Node {
    const c = this.text[this.pos];
    if (c === "'") return { kind: 'literal', value: this.parseString() };
    if (c !== undefined && /[-0-9]/.test(c)) {
      const match = /^-?\d+/.exec(this.text.slice(this.pos));
      if (!match) this.fail('bad number');
      this.pos += match[0].length;
      return { kind: 'literal', value: Number(match[0]) };
    }
    const name = this.parseIdentifier();
    this.skipSpace();
    this.expect('(');
    const args: Node[] = [];
    this.skipSpace();
    if (this.text[this.pos] !== ')') {
      for (;;) {
        args.push(this.parseExpression());
        this.skipSpace();
        if (this.text[this.pos] === ',') {
          this.pos++;
          continue;
        }
        break;
      }
    }
    this.expect(')');
    return { kind: 'call', name, args };
  }

  private parseString(): string {
    this.pos++; // opening quote
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('unterminated string');
      if (c === "'") {
        if (this.text[this.pos + 1] === "'") {
          out += "'";
          this.pos += 2;
          continue;
        }
        this.pos++;
        return out;
      }
      out += c;
      this.pos++;
    }
  }

  private parseIdentifier(): string {
    const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(this.text.slice(this.pos));
    if (!match) this.fail('identifier expected');
    this.pos += match[0].length;
    return match[0];
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== c) this.fail(`"${c}" expected`);
    this.pos++;
  }

  private skipSpace(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  private fail(message: string): never {
    throw new ArmExpressionError(`${message} at ${this.pos} in [${this.text}]`);
  }
}

function evaluateNode(node: Node, scope: ArmScope): ArmValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'member': {
      const target = evaluateNode(node.target, scope);
      if (target === null || typeof target !== 'object' || Array.isArray(target)) {
        throw new ArmExpressionError(`cannot read .${node.property} of ${JSON.stringify(target)}`);
      }
      // ARM property access is case-insensitive.
      const key = Object.keys(target).find((k) => k.toLowerCase() === node.property.toLowerCase());
      if (key === undefined) throw new ArmExpressionError(`no property ${node.property} in ${JSON.stringify(target)}`);
      return target[key] as ArmValue;
    }
    case 'index': {
      const target = evaluateNode(node.target, scope);
      const index = evaluateNode(node.index, scope);
      if (Array.isArray(target) && typeof index === 'number') return target[index] as ArmValue;
      if (target !== null && typeof target === 'object' && !Array.isArray(target) && typeof index === 'string') {
        return target[index] as ArmValue;
      }
      throw new ArmExpressionError(`cannot index ${JSON.stringify(target)} with ${JSON.stringify(index)}`);
    }
    case 'call':
      return call(node, scope);
  }
}

function call(node: { name: string; args: Node[] }, scope: ArmScope): ArmValue {
  const name = node.name.toLowerCase();
  // if() evaluates only the branch it takes, as ARM does (the other may reference something that does not exist).
  if (name === 'if') {
    const [cond, whenTrue, whenFalse] = node.args;
    if (!cond || !whenTrue || !whenFalse) throw new ArmExpressionError('if() needs 3 arguments');
    return evaluateNode(evaluateNode(cond, scope) === true ? whenTrue : whenFalse, scope);
  }
  // lambda() binds its parameter names over an unevaluated body.
  if (name === 'lambda') {
    const params = node.args.slice(0, -1).map((a) => evaluateNode(a, scope) as string);
    const body = node.args[node.args.length - 1];
    if (!body) throw new ArmExpressionError('lambda() needs a body');
    const handle = {};
    lambdas.set(handle, (...values) => evaluateNode(body, lambdaScope(scope, Object.fromEntries(params.map((p, i) => [p, values[i] ?? null])))));
    return handle;
  }
  const args = node.args.map((a) => evaluateNode(a, scope));
  const str = (i: number): string => {
    const v = args[i];
    if (typeof v !== 'string') throw new ArmExpressionError(`${node.name}() argument ${i} must be a string, got ${JSON.stringify(v)}`);
    return v;
  };
  switch (name) {
    case 'parameters':
      return scope.parameter(str(0));
    case 'variables':
      return scope.variable(str(0));
    case 'reference':
      return scope.reference(str(0));
    case 'format':
      // .NET composite format: {n} is an argument, {{ and }} are literal braces.
      return str(0).replace(/\{\{|\}\}|\{(\d+)\}/g, (m, i: string | undefined) => (i === undefined ? m[0]! : toArmString(args[Number(i) + 1] ?? null)));
    case 'string':
      return toArmString(args[0] ?? null);
    case 'empty': {
      const v = args[0] ?? null;
      if (v === null) return true;
      if (typeof v === 'string' || Array.isArray(v)) return v.length === 0;
      if (typeof v === 'object') return Object.keys(v).length === 0;
      throw new ArmExpressionError(`empty() of ${JSON.stringify(v)}`);
    }
    case 'not':
      return !args[0];
    case 'and':
      return args.every((a) => a === true);
    case 'or':
      return args.some((a) => a === true);
    case 'equals':
      return JSON.stringify(args[0]) === JSON.stringify(args[1]);
    case 'greater':
      return (args[0] as number) > (args[1] as number);
    case 'less':
      return (args[0] as number) < (args[1] as number);
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    case 'createobject': {
      const out: ArmObject = {};
      for (let i = 0; i < args.length; i += 2) out[str(i)] = args[i + 1] ?? null;
      return out;
    }
    case 'createarray':
      return args;
    case 'union':
      if (args.every(Array.isArray)) return [...new Set(args.flat())] as ArmValue[];
      return Object.assign({}, ...(args as ArmObject[])) as ArmObject;
    case 'concat':
      if (args.every(Array.isArray)) return args.flat() as ArmValue[];
      return args.map((a) => toArmString(a)).join('');
    case 'tolower':
      return str(0).toLowerCase();
    case 'take': {
      const v = args[0];
      if (typeof v === 'string' || Array.isArray(v)) return v.slice(0, args[1] as number);
      throw new ArmExpressionError('take() needs a string or array');
    }
    case 'lambdavariables':
      return scope.lambdaVariable?.(str(0)) ?? fail(`lambdaVariables('${str(0)}') outside a lambda`);
    case 'copyindex': {
      const i = scope.copyIndex?.();
      if (i === undefined) throw new ArmExpressionError('copyIndex() outside a loop');
      return i + ((args[0] as number | undefined) ?? 0);
    }
    case 'map': {
      const fn = lambdaOf(args[1], 'map');
      return (args[0] as ArmValue[]).map((v, i) => fn(v, i));
    }
    case 'filter': {
      const fn = lambdaOf(args[1], 'filter');
      return (args[0] as ArmValue[]).filter((v, i) => fn(v, i) === true);
    }
    case 'split':
      return str(0).split(str(1));
    case 'trim':
      return str(0).trim();
    case 'join':
      return (args[0] as ArmValue[]).map((v) => toArmString(v)).join(str(1));
    case 'length': {
      const v = args[0];
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      if (v !== null && typeof v === 'object') return Object.keys(v).length;
      throw new ArmExpressionError(`length() of ${JSON.stringify(v)}`);
    }
    case 'add':
      return (args[0] as number) + (args[1] as number);
    case 'sub':
      return (args[0] as number) - (args[1] as number);
    case 'environment':
      return { name: 'AzureCloud', portal: 'https://portal.azure.com' };
    case 'subscription':
      return { id: `/subscriptions/${FAKE_SUBSCRIPTION_ID}`, subscriptionId: FAKE_SUBSCRIPTION_ID, tenantId: FAKE_TENANT_ID };
    case 'tenant':
      return { tenantId: FAKE_TENANT_ID };
    case 'uniquestring':
      return hash(args).slice(0, 13);
    case 'guid': {
      const h = hash(args);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    }
    case 'subscriptionresourceid':
      // A resource group's id has no /providers/ segment (this is what Bicep's `rg.id` compiles to).
      if (str(0).toLowerCase() === 'microsoft.resources/resourcegroups') {
        return `/subscriptions/${FAKE_SUBSCRIPTION_ID}/resourceGroups/${str(1)}`;
      }
      return `/subscriptions/${FAKE_SUBSCRIPTION_ID}/providers/${str(0)}/${args.slice(1).map(String).join('/')}`;
    case 'resourceid':
      return resourceId(args.map(String));
    default:
      throw new ArmExpressionError(`function ${node.name}() is not supported by this evaluator`);
  }
}

/** resourceId([subscriptionId], [resourceGroupName], resourceType, name...): the type is the first argument with a "/". */
function resourceId(args: string[]): string {
  const typeAt = args.findIndex((a) => a.includes('/'));
  if (typeAt < 0) throw new ArmExpressionError(`resourceId(${args.join(', ')}) has no resource type`);
  const prefix = args.slice(0, typeAt);
  const subscriptionId = prefix.length === 2 ? prefix[0] : FAKE_SUBSCRIPTION_ID;
  const group = prefix.length >= 1 ? prefix[prefix.length - 1] : 'rg-current';
  const [namespace, ...types] = (args[typeAt] as string).split('/');
  const names = args.slice(typeAt + 1);
  const path = types.map((t, i) => `${t}/${names[i] ?? ''}`).join('/');
  return `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/${namespace}/${path}`;
}

function hash(args: ArmValue[]): string {
  return createHash('sha256').update(JSON.stringify(args)).digest('hex');
}

/** string() as ARM does it: booleans become True/False, objects and arrays JSON. */
export function toArmString(value: ArmValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}
