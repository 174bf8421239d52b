import type { Client } from '@temporalio/client';
import type { ProductState } from '../../workflows/messages.js';
import { type Booking, toBooking } from '../canonical/booking.js';
import { unreflectedUnits, vacancies } from '../canonical/ledger.js';
import { type SlotStatus, slotStatus } from '../canonical/slots.js';
import { productWorkflowId } from '../temporal/ids.js';

export interface PeriodInventory {
  ruleId: string;
  dates: string;
  capacity: number | null;
  usedAtSource: number;
  notYetAtSource: number;
  /** Never below zero: an oversell shows as SOLD_OUT with `oversoldBy`. */
  vacancies: number | null;
  oversoldBy: number;
  status: SlotStatus;
}

/** The bridge's own view of one product's seats and channel bookings, from its entity's ledger. */
export async function productInventory(client: Client, connection: string, sourceProductId: string): Promise<{ periods: PeriodInventory[]; bookings: Booking[] }> {
  const state = await client.workflow.getHandle(productWorkflowId(connection, sourceProductId)).query<ProductState>('productState');
  const ledger = state.ledger;
  const periods = Object.values(ledger.rules).map((r): PeriodInventory => {
    const v = vacancies(ledger, r.id);
    const shown = v === null ? null : Math.max(0, v);
    return {
      ruleId: r.id,
      dates: r.kind === 'dates' ? r.dates.join(', ') : `${r.startDate}…${r.endDate}`,
      capacity: r.capacity,
      usedAtSource: r.used,
      notYetAtSource: unreflectedUnits(ledger, r.id),
      vacancies: shown,
      oversoldBy: v !== null && v < 0 ? -v : 0,
      status: slotStatus({ sale: r.closed ? 'closed' : 'open', freesale: r.capacity === null }, r.capacity, shown),
    };
  });
  return { periods, bookings: Object.values(ledger.entries).map(toBooking) };
}
