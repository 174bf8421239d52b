import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from './codec.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/** Where `npm run build:workflows` writes the bundle and its build id (the Dockerfile ships both). */
export const DEFAULT_BUNDLE_DIR = fileURLToPath(new URL('../../dist/workflows', import.meta.url));

/** A workflow bundle and the build id workers declare for it. */
export interface WorkflowBundle {
  code: string;
  buildId: string;
}

/**
 * The build id of a bundle: a hash of its code, so two workers declare the same version exactly
 * when they run the same workflow code (the deployment version's identity, README runbook).
 */
export function buildIdOf(code: string): string {
  return `wf-${createHash('sha256').update(code).digest('hex').slice(0, 16)}`;
}

const quiet = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };

/** Bundles workflows/ (plus optional workflow interceptor modules, e.g. a test's variant). */
export async function buildWorkflowBundle(opts: { interceptorModules?: string[] } = {}): Promise<WorkflowBundle> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    workflowInterceptorModules: opts.interceptorModules,
    logger: quiet as never,
  });
  return { code, buildId: buildIdOf(code) };
}

/** Writes `bundle.js` and `build-id` into `dir`; returns the bundle path. */
export function writeWorkflowBundle(bundle: WorkflowBundle, dir = DEFAULT_BUNDLE_DIR): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'bundle.js');
  writeFileSync(path, bundle.code);
  writeFileSync(join(dir, 'build-id'), `${bundle.buildId}\n`);
  return path;
}

/** A prebuilt bundle from its file; the build id is recomputed from the code, never trusted from a side file. */
export function readWorkflowBundle(path: string): WorkflowBundle {
  const code = readFileSync(path, 'utf8');
  return { code, buildId: buildIdOf(code) };
}

/** The bundle a worker runs: BRIDGE_WORKFLOW_BUNDLE's prebuilt file if set, else workflows/ bundled now. */
export async function workerBundle(path = process.env.BRIDGE_WORKFLOW_BUNDLE): Promise<WorkflowBundle> {
  return path ? readWorkflowBundle(path) : buildWorkflowBundle();
}

