import { mkdirSync, writeFileSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { temporalCliPath } from '../../src/temporal/cli-path.js';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../../src/temporal/search-attributes.js';
import { WORKFLOWS_PATH } from '../../src/temporal/worker.js';
import { DEMO_PAYLOAD_KEY, FAILURE_CONVERTER_PATH } from '../../src/temporal/codec.js';
import { startSimulators } from './simulators.js';

/**
 * Starts ONE Temporal dev server (the project's installed CLI, not the SDK's download) and the
 * simulators for the whole suite, and bundles workflows/ once. Tests find them through env.
 */
export default async function globalSetup(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  // The suite's histories (and the replay fixtures) are encrypted with the demo key, whatever the shell exports.
  process.env.BRIDGE_PAYLOAD_KEY = DEMO_PAYLOAD_KEY;
  delete process.env.BRIDGE_PAYLOAD_OLD_KEYS;
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: ALL_SEARCH_ATTRIBUTE_KEYS,
      log: { format: 'pretty', level: 'error' },
    },
  });
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH, logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } as never });
  mkdirSync('.test-artifacts', { recursive: true });
  writeFileSync('.test-artifacts/workflow-bundle.js', code);
  const sims = await startSimulators();
  process.env.TEST_TEMPORAL_ADDRESS = env.address;
  process.env.TEST_WORKFLOW_BUNDLE = `${process.cwd()}/.test-artifacts/workflow-bundle.js`;
  process.env.TEST_SIMULATORS = JSON.stringify(sims.urls);
  Object.assign(process.env, sims.env);
  (globalThis as Record<string, unknown>).__bridgeTest = { env, sims };
}
