// The "new release" of the rolling-upgrade check (test/cluster/run.ts): a workflow change that adds
// a command (a 1 ms timer) before every activity a product or catalog run schedules. Unguarded, a
// v1 history replayed on it fails (timer vs. activity: non-determinism); behind patched() it
// replays, and runs that reach v2 record the patch marker the check looks for.
import { patched, sleep, workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** The patch id the check looks for in histories. */
export const V2_PATCH = 'cluster-upgrade-v2';

/** The change itself; `guarded: false` is the mistake the replay check must catch. */
export function v2Interceptors(guarded: boolean): WorkflowInterceptorsFactory {
  return () => ({
    outbound: [{
      async scheduleActivity(input, next) {
        const type = workflowInfo().workflowType;
        if ((type === 'productSyncWorkflow' || type === 'catalogSyncWorkflow') && (!guarded || patched(V2_PATCH))) await sleep(1);
        return next(input);
      },
    }],
  });
}

export const interceptors = v2Interceptors(true);
