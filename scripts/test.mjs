// `npm test`: typecheck, unit + component tests, build, real-browser tests; ends with one line of totals
// in the form `N passed, N failed` (what CI reads). Exits non-zero when anything failed or could not run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
mkdirSync(results, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts }).status ?? 1;

// Native modules may have been rebuilt for Electron by `npm start`; tests run under Node.
const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3-multiple-ciphers'))(':memory:')"], { cwd: root });
if (probe.status !== 0) {
  console.log('Rebuilding better-sqlite3-multiple-ciphers for Node…');
  run('npm', ['rebuild', 'better-sqlite3-multiple-ciphers']);
  rmSync(path.join(root, 'node_modules/.roadshow-electron-abi'), { force: true });
}

const suites = [];
function vitest(name, args) {
  const out = path.join(results, `${name}.json`);
  rmSync(out, { force: true });
  const status = run(bin('vitest'), ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (!existsSync(out)) {
    suites.push({ name, passed: 0, failed: 1, note: `vitest exited ${status} without results` });
    return;
  }
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const failedFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).every((a) => a.status !== 'failed')).length;
  suites.push({ name, passed: r.numPassedTests, failed: r.numFailedTests + failedFiles + (status !== 0 && r.numFailedTests === 0 && failedFiles === 0 ? 1 : 0), skipped: r.numPendingTests + r.numTodoTests });
}

const tc = run(bin('tsc'), ['-p', 'tsconfig.json']) === 0 && run(bin('tsc'), ['-p', 'tsconfig.web.json']) === 0;
suites.push({ name: 'typecheck', passed: tc ? 1 : 0, failed: tc ? 0 : 1 });

vitest('unit', []);

if (run(process.execPath, [path.join(root, 'scripts/build.mjs')]) !== 0) suites.push({ name: 'build', passed: 0, failed: 1 });
else vitest('e2e', ['--config', 'vitest.e2e.config.ts']);

let passed = 0;
let failed = 0;
let skipped = 0;
console.log('\nSuites:');
for (const s of suites) {
  passed += s.passed;
  failed += s.failed;
  skipped += s.skipped ?? 0;
  console.log(`  ${s.name}: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}${s.note ? ` (${s.note})` : ''}`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
