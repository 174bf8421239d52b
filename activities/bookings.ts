import { Context } from '@temporalio/activity';
import { neverSent } from '../src/http/classify.js';
import type { Client } from '@temporalio/client';
import { type BridgeConfig, type Connection, getConnection, targetEndpoint } from '../src/config.js';
import { channelFor, sourceFor } from '../src/connectors/registry.js';
import type { SourceBookingRequest } from '../src/connectors/types.js';
import { BridgeError, CreateOutcomeUnknownError, InvalidRequestError, TransientError } from '../src/errors.js';
import { bookingWriteBacks, saleToChannels } from '../src/metrics/registry.js';
import { productsHolding } from '../src/temporal/lookup.js';
import type { BookingEvent } from '../workflows/messages.js';

/** Heartbeat marks of a write-back attempt (see writeBackBooking). */
const SENT = 'sent';
const NOT_SENT = 'not-created';

export interface BookingDeps {
  config: BridgeConfig;
  client: Client;
}

/** Activities of the booking flow; each external one makes a single HTTP call (bookOnce: two on a duplicate). */
export function createBookingActivities({ config, client }: BookingDeps) {
  const conn = (name: string): Connection => getConnection(config, name);
  const channel = (c: Connection, platform: string) => channelFor(targetEndpoint(c, platform));

  return {
    /** One channel booking's lines for our experience, and its lead traveller (queue api-<channel>). */
    async fetchChannelBooking(input: { connection: string; channel: string; bookingId: string; experienceId: string }) {
      return channel(conn(input.connection), input.channel).fetchBooking(input.bookingId, input.experienceId);
    },

    /**
     * Writes one booked line back to the source, once by its reference (queue api-<source>). Like
     * applyWrite's look-up creates, attempts leave a heartbeat mark: a retry after an attempt that
     * may have sent the booking tells the source `mayExist` (find it, never resend it).
     */
    async writeBackBooking(input: SourceBookingRequest & { connection: string }): Promise<{ sourceBookingId: string; state: 'confirmed' | 'pending' }> {
      const c = conn(input.connection);
      const labels = { connection: input.connection, source: c.source.platform };
      const source = sourceFor(c.source);
      try {
        if (!source.book) throw new InvalidRequestError(`${c.source.platform} takes no bookings from the bridge`);
        const ctx = Context.current();
        const mayExist = ctx.info.attempt > 1 && ctx.info.heartbeatDetails !== NOT_SENT;
        ctx.heartbeat(SENT);
        const done = await source.book(input, { mayExist });
        bookingWriteBacks.inc({ ...labels, outcome: done.state });
        return done;
      } catch (err) {
        bookingWriteBacks.inc({ ...labels, outcome: 'failed' });
        // A definite answer (e.g. 429, 422) created nothing: the next attempt may send again.
        if (err instanceof BridgeError && !(err instanceof TransientError) && !(err instanceof CreateOutcomeUnknownError)) Context.current().heartbeat(NOT_SENT);
        // A connection that never opened sent nothing either: the next attempt may send.
        if (neverSent(err)) Context.current().heartbeat(NOT_SENT);
        throw err;
      }
    },

    /**
     * Observes bridge_sale_to_channels_seconds (queue bridge): from each booking change's own time to
     * `doneAt`, the workflow time once the sync after it had written to every target. Workflows
     * cannot touch metrics; this is where their timestamps become observations.
     */
    async observeSaleToChannels(input: { connection: string; sales: Array<{ channel: string; at: string }>; doneAt: string }): Promise<void> {
      const done = Date.parse(input.doneAt);
      for (const s of input.sales) {
        const at = Date.parse(s.at);
        // Clocks of a platform and ours differ a little: never a negative delay.
        if (Number.isFinite(at) && Number.isFinite(done)) saleToChannels.observe({ connection: input.connection, channel: s.channel }, Math.max(0, (done - at) / 1000));
      }
    },

    /** The source's state of a booking we wrote back (queue api-<source>). */
    async sourceBookingState(input: { connection: string; sourceBookingId: string }): Promise<'confirmed' | 'pending' | 'canceled' | 'unknown'> {
      const source = sourceFor(conn(input.connection).source);
      if (!source.bookingState) return 'unknown';
      return source.bookingState(input.sourceBookingId);
    },

    /** One page of a channel's bookings changed since a time (queue api-<channel>). */
    async listChangedBookings(input: { connection: string; channel: string; updatedSince: string; cursor: string | null }) {
      return channel(conn(input.connection), input.channel).listChangedBookings(input.updatedSince, input.cursor);
    },

    /** Signals each product entity that publishes an experience a booking touches (queue bridge). */
    async dispatchBookingEvents(input: { connection: string; channel: string; via: string; items: Array<{ bookingId: string; experienceIds: string[]; updatedAt?: string }> }): Promise<{ signalled: number; unmatched: number }> {
      let signalled = 0;
      let unmatched = 0;
      for (const item of input.items) {
        for (const experienceId of item.experienceIds) {
          const ids = await productsHolding(client, input.channel, experienceId, input.connection);
          if (ids.length === 0) unmatched += 1;
          for (const id of ids) {
            const event: BookingEvent = { channel: input.channel, bookingId: item.bookingId, via: input.via, ...(item.updatedAt ? { at: item.updatedAt } : {}) };
            await client.workflow.getHandle(id).signal('bookingEvent', event);
            signalled += 1;
          }
        }
      }
      return { signalled, unmatched };
    },
  };
}
export type BookingActivities = ReturnType<typeof createBookingActivities>;
