// Compiles infra/ with the same script `npm run infra:check` uses (tools/infra/build.sh: the real Bicep CLI, found or
// restored by tools/infra/bicep.sh) and reads the ARM JSON it writes. Also: walking nested module deployments, and a
// scope that evaluates a module's expressions the way ARM would, with stubbed runtime values.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { evaluateDeep, isExpression, ArmExpressionError, type ArmObject, type ArmScope, type ArmValue } from './armExpression.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** First use may restore the Bicep CLI from NuGet (~125 MB); later runs reuse .bicep/. */
export const COMPILE_TIMEOUT_MS = 9 * 60_000;

export interface ArmResource {
  type: string;
  apiVersion?: string;
  name?: string;
  condition?: ArmValue;
  scope?: string;
  resourceGroup?: string;
  dependsOn?: string[];
  identity?: ArmObject;
  kind?: string;
  sku?: ArmObject;
  properties?: ArmObject & { template?: ArmTemplate; parameters?: ArmObject };
  [key: string]: unknown;
}

export interface ArmTemplate {
  languageVersion?: string;
  parameters?: Record<string, { type: string; defaultValue?: ArmValue; [key: string]: unknown }>;
  variables?: ArmObject;
  resources: Record<string, ArmResource> | ArmResource[];
  outputs?: Record<string, { type: string; value: ArmValue }>;
}

export interface CompiledInfra {
  main: ArmTemplate;
  eventSubscription: ArmTemplate;
}

const execFileAsync = promisify(execFile);

/** Runs tools/infra/build.sh and parses what it wrote. Throws (with the CLI's diagnostics) if the build fails. */
export async function compileInfra(): Promise<CompiledInfra> {
  try {
    await execFileAsync('bash', [path.join(REPO_ROOT, 'tools/infra/build.sh')], {
      cwd: REPO_ROOT,
      timeout: COMPILE_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`tools/infra/build.sh failed: ${e.stderr ?? e.message}`, { cause: error });
  }
  const read = async (file: string) => JSON.parse(await readFile(path.join(REPO_ROOT, file), 'utf8')) as ArmTemplate;
  return { main: await read('infra/main.compiled.json'), eventSubscription: await read('infra/app/eventSubscription.compiled.json') };
}

/** A template's resources with their symbolic names (languageVersion 2.0) or indexes. */
export function resourceEntries(template: ArmTemplate): [string, ArmResource][] {
  const r = template.resources;
  return Array.isArray(r) ? r.map((res, i) => [String(i), res]) : Object.entries(r);
}

/** A module (nested deployment) of `template` by symbolic name. */
export function moduleNamed(template: ArmTemplate, symbol: string): { resource: ArmResource; template: ArmTemplate } {
  const resource = resourceEntries(template).find(([k]) => k === symbol)?.[1];
  const nested = resource?.properties?.template;
  if (!resource || resource.type !== 'Microsoft.Resources/deployments' || !nested) {
    throw new Error(`no module "${symbol}" in the template`);
  }
  return { resource, template: nested };
}

export interface LocatedResource {
  /** Module symbols from main.bicep down to the template that declares the resource. */
  modulePath: string[];
  symbol: string;
  resource: ArmResource;
}

/** Every resource in the template and all nested module templates. */
export function allResources(template: ArmTemplate, modulePath: string[] = []): LocatedResource[] {
  return resourceEntries(template).flatMap(([symbol, resource]) => {
    const here: LocatedResource = { modulePath, symbol, resource };
    const nested = resource.type === 'Microsoft.Resources/deployments' ? resource.properties?.template : undefined;
    return nested ? [here, ...allResources(nested, [...modulePath, symbol])] : [here];
  });
}

export function resourcesOfType(template: ArmTemplate, type: string): LocatedResource[] {
  return allResources(template).filter((r) => r.resource.type.toLowerCase() === type.toLowerCase() && !r.resource.existing);
}

/** Values reference() returns at deployment time, by symbolic name, for the template being evaluated. */
export type ReferenceStubs = Record<string, ArmValue>;

/** Evaluates a template's expressions given its parameter values; variables are evaluated on first use. */
export class TemplateScope implements ArmScope {
  private readonly variables = new Map<string, ArmValue>();

  constructor(
    readonly template: ArmTemplate,
    private readonly parameterValue: (name: string) => ArmValue | undefined,
    private readonly references: ReferenceStubs,
  ) {}

  /** Scope of main.bicep itself: parameters are the given overrides, else the defaults. */
  static forMain(template: ArmTemplate, overrides: ArmObject, references: ReferenceStubs): TemplateScope {
    return new TemplateScope(template, (name) => overrides[name], references);
  }

  /** Scope of a module of this template: its parameters are what this template passes it, evaluated here. */
  module(symbol: string, references: ReferenceStubs): TemplateScope {
    const { resource, template } = moduleNamed(this.template, symbol);
    const passed = resource.properties?.parameters ?? {};
    return new TemplateScope(
      template,
      (name) => {
        const entry = passed[name];
        if (entry === undefined) return undefined;
        // A conditional value compiles to an expression that yields the whole { value } object.
        const resolved = isExpression(entry) ? this.evaluate(entry) : entry;
        return this.evaluate((resolved as ArmObject).value ?? null);
      },
      references,
    );
  }

  evaluate(value: ArmValue): ArmValue {
    return evaluateDeep(value, this);
  }

  /**
   * A resource as ARM would deploy it: every instance of its copy loop (one for a plain resource), with name,
   * location, kind and properties evaluated (copyIndex() is the instance's index).
   */
  instances(resource: ArmResource): ArmObject[] {
    const copy = resource.copy as { count?: ArmValue } | undefined;
    const count = copy?.count === undefined ? 1 : (this.evaluate(copy.count) as number);
    const { copy: _copy, ...rest } = resource;
    return Array.from({ length: count }, (_, i) => {
      const at: ArmScope = {
        parameter: (n) => this.parameter(n),
        variable: (n) => this.variable(n),
        reference: (n) => this.reference(n),
        copyIndex: () => (copy ? i : undefined),
      };
      return evaluateDeep(rest as unknown as ArmValue, at) as ArmObject;
    });
  }

  parameter(name: string): ArmValue {
    const given = this.parameterValue(name);
    if (given !== undefined) return given;
    const declared = this.template.parameters?.[name];
    if (declared?.defaultValue !== undefined) return this.evaluate(declared.defaultValue);
    throw new ArmExpressionError(`parameter ${name} has no value and no default`);
  }

  variable(name: string): ArmValue {
    if (!this.variables.has(name)) {
      const raw = this.template.variables?.[name];
      if (raw === undefined) throw new ArmExpressionError(`no variable ${name}`);
      this.variables.set(name, this.evaluate(raw));
    }
    return this.variables.get(name) as ArmValue;
  }

  reference(symbol: string): ArmValue {
    const stub = this.references[symbol];
    if (stub === undefined) throw new ArmExpressionError(`no stub for reference('${symbol}')`);
    return stub;
  }
}
