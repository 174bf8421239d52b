/**
 * What every benchmark starts with, like the test suite: a throw-away dev server (the installed
 * CLI), the simulators with their keys in the environment, the demo payload key.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEMO_PAYLOAD_KEY } from '../src/temporal/codec.js';
import { temporalCliPath } from '../src/temporal/cli-path.js';
import { installRuntimeLogger } from '../src/temporal/runtime.js';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../src/temporal/search-attributes.js';
import { startSimulators } from '../test/helpers/simulators.js';

/** Starts the dev server and the simulators for one benchmark run. */
export async function startBenchEnv() {
  process.env.LOG_LEVEL ??= 'warn';
  process.env.BRIDGE_PAYLOAD_KEY ??= DEMO_PAYLOAD_KEY;
  installRuntimeLogger();
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: temporalCliPath() }, searchAttributes: ALL_SEARCH_ATTRIBUTE_KEYS } });
  const sims = await startSimulators();
  Object.assign(process.env, sims.env);
  /** Closes the simulators, then the dev server. */
  const stop = async () => { await sims.close(); await env.teardown(); };
  return { env, sims, stop };
}
