// The error catalogue in src/shared/errors.ts lists every error class the app exports, in the module that defines
// it, and its failure column says what the failure model decides for that name.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/shared/failureModel.js';

const SRC = join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

const rows = readFileSync(join(SRC, 'shared/errors.ts'), 'utf8')
  .split('\n')
  .filter((l) => /^\/\/ \| \w+Error\s/.test(l))
  .map((l) => {
    const [name, module, http, failure] = l.slice(3).split('|').slice(1, 5).map((c) => c.trim());
    return { name: name!, module: module!, http: http!, failure: failure! };
  });

describe('the error catalogue (src/shared/errors.ts)', () => {
  it('lists every exported error class of src/, each once, in the module that defines it', () => {
    const exported = sourceFiles(SRC).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^export class (\w+Error)\b/gm)].map((m) => ({ name: m[1]!, module: relative(SRC, file) })),
    );
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(rows.map(({ name, module }) => ({ name, module })).sort(byName)).toEqual(exported.sort(byName));
  });

  it('says for every class with a fixed verdict what the failure model decides by its name', () => {
    const fixed = rows.filter((r) => /^[PT] \w+$/.test(r.failure));
    expect(fixed.length).toBeGreaterThan(15);
    for (const row of fixed) {
      const [kind, code] = row.failure.split(' ');
      expect(classifyFailure({ name: row.name, message: '' }), row.name).toMatchObject({ kind: kind === 'T' ? 'transient' : 'permanent', code });
    }
  });
});
