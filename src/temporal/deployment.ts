import type { Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { logger } from '../logger.js';

/** The version a deployment routes new workflows to; null while it has none (unversioned) or does not exist yet. */
export async function currentVersion(client: Client, deploymentName: string): Promise<WorkerDeploymentVersion | null> {
  try {
    const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({ namespace: client.options.namespace, deploymentName });
    const v = workerDeploymentInfo?.routingConfig?.currentDeploymentVersion;
    return v?.buildId ? { deploymentName: v.deploymentName ?? deploymentName, buildId: v.buildId } : null;
  } catch (err) {
    if ((err as { code?: number }).code === 5) return null; // NOT_FOUND: no worker has polled yet
    throw err;
  }
}

/**
 * Makes `version` the deployment's current version (the runbook's `temporal worker deployment
 * set-current-version`, as a call). The version must have pollers: its workers must be running.
 */
export async function setCurrentVersion(client: Client, version: WorkerDeploymentVersion, identity = 'channel-bridge'): Promise<void> {
  await client.workflowService.setWorkerDeploymentCurrentVersion({
    namespace: client.options.namespace, deploymentName: version.deploymentName, buildId: version.buildId, identity,
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The first version of a deployment makes itself current (nothing runs before that), retrying
 * until the server has seen this worker's pollers. Later versions wait for the operator.
 */
export async function promoteIfNone(client: Client, version: WorkerDeploymentVersion, signal: AbortSignal): Promise<'promoted' | 'kept' | 'aborted'> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      const current = await currentVersion(client, version.deploymentName);
      if (current) {
        if (current.buildId !== version.buildId) logger.info({ current: current.buildId, ours: version.buildId }, 'deployment has a current version; this one waits for set-current-version');
        return 'kept';
      }
      await setCurrentVersion(client, version);
      logger.info({ deployment: version.deploymentName, buildId: version.buildId }, 'first version of the deployment made current');
      return 'promoted';
    } catch (err) {
      // Until the server registers this version's pollers it answers NOT_FOUND / FAILED_PRECONDITION.
      if (attempt % 10 === 9) logger.warn({ err: (err as Error).message }, 'deployment version not promotable yet');
      await sleep(1000);
    }
  }
  return 'aborted';
}
