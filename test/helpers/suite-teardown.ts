import type { TestWorkflowEnvironment } from '@temporalio/testing';

/** Stops what global-setup started. */
export default async function globalTeardown(): Promise<void> {
  const t = (globalThis as Record<string, unknown>).__bridgeTest as { env: TestWorkflowEnvironment; sims: { close(): Promise<void> } } | undefined;
  await t?.sims.close();
  await t?.env.teardown();
}
