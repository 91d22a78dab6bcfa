// Build: type-check and compile main/shared/test with tsc, bundle the renderer with esbuild,
// copy SQL files and static renderer assets next to the compiled code.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');

/** Newest modification time under the sources (npm start skips the build when dist is newer). */
function newestSource() {
  let newest = 0;
  const visit = (p) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const n of readdirSync(p)) visit(join(p, n));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const d of ['shared', 'main', 'renderer', 'test', 'bench', 'scripts', 'presets', 'package.json', 'tsconfig.json']) {
    if (existsSync(join(root, d))) visit(join(root, d));
  }
  return newest;
}

if (process.argv.includes('--if-stale') && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource()) {
  process.exit(0);
}

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], {
  stdio: 'inherit',
});

function copyMatching(dir, test) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) copyMatching(p, test);
    else if (test(name)) {
      const out = join(dist, relative(root, p));
      mkdirSync(dirname(out), { recursive: true });
      cpSync(p, out);
    }
  }
}
copyMatching(join(root, 'main'), (n) => n.endsWith('.sql'));
copyMatching(join(root, 'renderer'), (n) => n.endsWith('.html') || n.endsWith('.css'));

// Sandboxed Electron preloads must be CommonJS; tsc emits ES modules, so bundle it separately.
await esbuild.build({
  entryPoints: [join(root, 'main/electron/preload.ts')],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  external: ['electron'],
  outfile: join(dist, 'main/electron/preload.cjs'),
  logLevel: 'warning',
});

await esbuild.build({
  entryPoints: [join(root, 'renderer/index.tsx')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120'],
  outfile: join(dist, 'renderer/app.js'),
  sourcemap: true,
  minify: false,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});

writeFileSync(stamp, new Date().toISOString());
