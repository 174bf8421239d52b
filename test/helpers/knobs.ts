import type { Fault } from '../../src/simulators/kit.js';

/** Queues faults on a simulator through its /__sim/knobs endpoint. */
export async function inject(baseUrl: string, ...faults: Fault[]): Promise<void> {
  const res = await fetch(`${baseUrl}/__sim/knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults }) });
  if (!res.ok) throw new Error(`knobs: ${res.status}`);
}

/** Captures a rejected promise's error for assertions on its class and fields. */
export async function failure(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected a failure, the call succeeded');
}
