// Builds the operator console (web/console) into dist/console with esbuild: one script and one stylesheet with
// hashed names, index.html referring to them, and manifest.json listing the assets the app may serve
// (src/console/consoleFiles.ts). Run by `npm run build`; the browser tests call buildConsole() when it is missing.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ConsoleBuildResult {
  outDir: string;
  script: string;
  stylesheet: string;
  assets: string[];
}

export async function buildConsole(outDir: string = path.join(root, 'dist', 'console')): Promise<ConsoleBuildResult> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [path.join(root, 'web', 'console', 'main.tsx')],
    bundle: true,
    outdir: outDir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const assets = Object.keys(result.metafile.outputs).map((p) => path.basename(p));
  const script = assets.find((a) => a.endsWith('.js'));
  const stylesheet = assets.find((a) => a.endsWith('.css'));
  if (!script || !stylesheet) throw new Error(`esbuild produced no script or stylesheet: ${assets.join(', ')}`);
  const template = await readFile(path.join(root, 'web', 'console', 'index.html'), 'utf8');
  await writeFile(path.join(outDir, 'index.html'), template.replace('{{script}}', script).replace('{{stylesheet}}', stylesheet));
  await writeFile(path.join(outDir, 'manifest.json'), JSON.stringify({ script, stylesheet, assets }, null, 2));
  return { outDir, script, stylesheet, assets };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await buildConsole();
  console.log(`console built: ${path.relative(root, r.outDir)} (${r.assets.join(', ')})`);
}
