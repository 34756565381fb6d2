// Copies the few distribution files the app needs from node_modules into wwwroot/lib.
// Usage (from src/AlignmentHub.Web):  npm ci --ignore-scripts && npm run copy-libs
// wwwroot/lib is committed, so running the app never needs npm.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modulesDir = path.join(projectDir, 'node_modules');
const libDir = path.join(projectDir, 'wwwroot', 'lib');

// [package, source path inside the package, destination path inside wwwroot/lib/<package>]
const files = [
  ['bootstrap', 'dist/css/bootstrap.min.css', 'css/bootstrap.min.css'],
  ['bootstrap', 'dist/css/bootstrap.min.css.map', 'css/bootstrap.min.css.map'],
  ['bootstrap', 'dist/js/bootstrap.bundle.min.js', 'js/bootstrap.bundle.min.js'],
  ['bootstrap', 'dist/js/bootstrap.bundle.min.js.map', 'js/bootstrap.bundle.min.js.map'],
  ['bootstrap', 'LICENSE', 'LICENSE'],
  ['chart.js', 'dist/chart.umd.min.js', 'chart.umd.min.js'],
  ['chart.js', 'dist/chart.umd.min.js.map', 'chart.umd.min.js.map'],
  ['chart.js', 'LICENSE.md', 'LICENSE.md'],
  ['bootstrap-icons', 'font/bootstrap-icons.min.css', 'font/bootstrap-icons.min.css'],
  ['bootstrap-icons', 'font/fonts/bootstrap-icons.woff2', 'font/fonts/bootstrap-icons.woff2'],
  ['bootstrap-icons', 'font/fonts/bootstrap-icons.woff', 'font/fonts/bootstrap-icons.woff'],
  ['bootstrap-icons', 'LICENSE', 'LICENSE'],
];

fs.rmSync(libDir, { recursive: true, force: true });

const versions = new Map();
for (const [pkg, from, to] of files) {
  const src = path.join(modulesDir, pkg, from);
  if (!fs.existsSync(src)) {
    console.error(`Missing ${src}. Run "npm ci --ignore-scripts" first.`);
    process.exit(1);
  }
  const dest = path.join(libDir, pkg, to);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(src, dest);
  if (!versions.has(pkg)) {
    const manifest = JSON.parse(fs.readFileSync(path.join(modulesDir, pkg, 'package.json'), 'utf8'));
    versions.set(pkg, manifest.version);
  }
}

const readme = `# wwwroot/lib (generated, vendored)

Do not edit by hand. This folder is generated from the exact versions pinned in
\`src/AlignmentHub.Web/package.json\` / \`package-lock.json\`:

\`\`\`sh
cd src/AlignmentHub.Web
npm ci --ignore-scripts && npm run copy-libs
\`\`\`

\`scripts/copy-libs.mjs\` deletes this folder and copies only the distribution files the
app needs. The result is committed (vendored) so the app builds and runs with no npm
and no CDN at run time.

| Package | Version |
|---|---|
${[...versions].map(([p, v]) => `| ${p} | ${v} |`).join('\n')}
`;
fs.writeFileSync(path.join(libDir, 'README.md'), readme);

console.log(`Copied ${files.length} files into ${path.relative(projectDir, libDir)}`);
