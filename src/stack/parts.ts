import { logger } from '../logger.js';

/** A started part of the stack and how to stop it. */
interface Part {
  name: string;
  stop: () => Promise<unknown>;
}

/** Thrown into the start sequence once a stop was asked for: the parts started so far are being stopped. */
export class StopRequested extends Error {}

/**
 * The embedded stack's parts in start order. A stop (SIGINT, SIGTERM, the end of `--once`, a
 * failure) waits for a part still starting, so a dev server half-way up is not left behind,
 * stops them newest first, names each, and ends with "All parts stopped.".
 */
export class StackParts {
  /** Aborted when the stop begins: loops and workers watch it. */
  readonly abort = new AbortController();
  private readonly parts: Part[] = [];
  private readonly beforeStop: Array<() => void> = [];
  private starting: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | null = null;

  constructor(private readonly say: (line: string) => void) {}

  /** Waits for a part to start and keeps how to stop it; throws StopRequested when a stop came meanwhile. */
  async start<T>(name: string, starting: Promise<T>, stop: (value: T) => Promise<unknown>): Promise<T> {
    const kept = starting.then((value) => {
      this.parts.push({ name, stop: () => stop(value) });
      return value;
    });
    this.starting = kept.catch(() => undefined);
    const value = await kept;
    if (this.abort.signal.aborted) throw new StopRequested(`stopping: ${name} is stopped again`);
    return value;
  }

  /** Runs first when the stop begins (a progress bar clears itself). */
  onStop(fn: () => void): void {
    this.beforeStop.push(fn);
  }

  /** Stops every part, newest first, says so, and exits with `code`. A second call joins the first. */
  stopAll(code: number): Promise<void> {
    this.stopping ??= (async () => {
      // A gRPC retry timer of a call cut short may fire after its connection closed and throw
      // ("Channel has been shut down"): the process is ending, so it must not end it before the rest stops.
      process.on('uncaughtException', (err) => logger.debug({ err }, 'ignored while stopping'));
      for (const fn of this.beforeStop) fn();
      this.say('\nStopping…');
      this.abort.abort();
      await this.starting;
      for (const part of [...this.parts].reverse()) {
        await part.stop().then(() => this.say(`  ${part.name} stopped`), (err: unknown) => this.say(`  ${part.name}: ${(err as Error).message}`));
      }
      this.say('All parts stopped.');
      process.exit(code);
    })();
    return this.stopping;
  }

  /** SIGINT (Ctrl-C) and SIGTERM stop everything; a repeated signal joins the stop under way. */
  stopOnSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void this.stopAll(0));
  }
}
