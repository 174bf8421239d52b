// What the cluster check reads from histories: workflow task failures, patch markers, and the
// start of an activity's retry (for the recovery time after a worker dies).
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { temporal } = proto;

type History = proto.temporal.api.history.v1.IHistory;
const EventType = temporal.api.enums.v1.EventType;

/** Every run (continued-as-new ones too) whose id starts with one of `prefixes`. */
export async function runsOf(client: Client, prefixes: string[]): Promise<Array<{ workflowId: string; runId: string }>> {
  const query = prefixes.map((p) => `WorkflowId STARTS_WITH "${p}"`).join(' OR ');
  const out: Array<{ workflowId: string; runId: string }> = [];
  for await (const w of client.workflow.list({ query })) out.push({ workflowId: w.workflowId, runId: w.runId });
  return out;
}

export async function historyOf(client: Client, run: { workflowId: string; runId?: string }): Promise<History> {
  return client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
}

/** WorkflowTaskFailed events with their cause, e.g. a non-determinism error after a bad upgrade. */
export function workflowTaskFailures(history: History): string[] {
  return (history.events ?? [])
    .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
    .map((e) => `${String(e.workflowTaskFailedEventAttributes?.cause)}: ${e.workflowTaskFailedEventAttributes?.failure?.message ?? ''}`);
}

/** True when the history recorded the patch marker `patchId` (the run executed code behind patched(patchId)). */
export function hasPatchMarker(history: History, patchId: string): boolean {
  return (history.events ?? []).some((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED
    && e.markerRecordedEventAttributes?.markerName === 'core_patch'
    && Buffer.from(e.markerRecordedEventAttributes.details?.['patch-data']?.payloads?.[0]?.data ?? []).toString().includes(patchId));
}

/** For each completed activity of `type` that needed more than one attempt: when its last attempt started, and why the one before failed. */
export function retriedActivities(history: History, type: string): Array<{ attempt: number; startedAt: number; lastFailure: string }> {
  const events = history.events ?? [];
  const scheduled = new Map(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type).map((e) => [String(e.eventId), e]));
  return events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED && scheduled.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)))
    .filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1)
    .map((e) => ({
      attempt: e.activityTaskStartedEventAttributes!.attempt!,
      startedAt: Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6),
      lastFailure: e.activityTaskStartedEventAttributes?.lastFailure?.message ?? '',
    }));
}
