import type { StartedSimulator } from './simulators.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const json = async <T>(url: string, init?: RequestInit): Promise<T> => (await fetch(url, init)).json() as Promise<T>;

interface KoobRecords { experiences: Array<{ id: string; name: string; pricingType?: string; periods: Array<{ startAt: string; state: string; allotments?: number; allotmentsUsed?: number }> }>; bookings?: Array<{ toReference: string; id: string; state: string }> }

/** Seats left at the source for one departure, and what the other channels show for it. */
async function seats(sims: Map<string, string>, name: string, koobId: string, date: string): Promise<string> {
  const koob = await json<KoobRecords>(`${sims.get('koob')}/__sim/records`);
  const p = koob.experiences.find((e) => e.id === koobId)?.periods.find((x) => x.startAt === date);
  const parts = [`KOOB ${p ? (p.allotments ?? 0) - (p.allotmentsUsed ?? 0) : '?'} left (${p?.allotmentsUsed}/${p?.allotments} used)`];
  if (sims.has('gomry')) {
    const g = await json<{ experiences: Array<{ name: string; recurrences: Array<{ start_date?: string; session_templates: Array<{ capacity: number }> }> }> }>(`${sims.get('gomry')}/__sim/records`);
    const r = g.experiences.find((e) => e.name === name)?.recurrences.find((x) => x.start_date === date);
    parts.push(`Gomry session capacity ${r?.session_templates[0]?.capacity ?? 'closed'}`);
  }
  if (sims.has('whop')) {
    const w = await json<{ products: Array<{ id: string; title: string }>; plans: Array<{ product_id?: string; stock: number }> }>(`${sims.get('whop')}/__sim/records`);
    const prod = w.products.find((x) => x.title === name.slice(0, 80));
    parts.push(`Whop plan stock ${w.plans.find((x) => x.product_id === prod?.id)?.stock ?? '?'}`);
  }
  return parts.join(', ');
}

/**
 * The demo's booking: a customer buys seats of a limited departure on the Xola simulator; the
 * webhook reaches the receiver, the product writes the booking back to KOOB and pushes the new
 * seats to the other channels. Prints each step as it lands.
 */
export async function demoBooking(started: StartedSimulator[], xolaKey: string, sellerId: string): Promise<void> {
  const sims = new Map(started.map((s) => [s.platform, s.url]));
  const koobUrl = sims.get('koob');
  const xolaUrl = sims.get('xola');
  if (!koobUrl || !xolaUrl) return;
  const today = new Date().toISOString().slice(0, 10);
  const koob = await json<KoobRecords>(`${koobUrl}/__sim/records`);
  if (koob.bookings?.length) {
    say(`\nDemo booking: already made on an earlier start (KOOB holds ${koob.bookings.length} booking(s)); \`rm -rf .data\` to see it again.`);
    return;
  }
  const product = koob.experiences.find((e) => e.pricingType === 'sic' && e.periods.some((p) => p.state === 'free_sale' && p.startAt > today && (p.allotments ?? 0) - (p.allotmentsUsed ?? 0) >= 3));
  const period = product?.periods.find((p) => p.state === 'free_sale' && p.startAt > today && (p.allotments ?? 0) - (p.allotmentsUsed ?? 0) >= 3);
  const xola = await json<{ experiences: Array<{ id: string; name: string }> }>(`${xolaUrl}/__sim/records`);
  const exp = xola.experiences.find((e) => e.name === product?.name);
  if (!product || !period || !exp) { say('Demo booking skipped: no limited departure with 3 free seats is published on Xola.'); return; }
  say(`\nDemo booking: a customer buys 2 seats of "${product.name}" on ${period.startAt} on the Xola simulator.`);
  say(`  before: ${await seats(sims, product.name, product.id, period.startAt)}`);
  const sale = await json<{ id?: string; message?: string }>(`${xolaUrl}/api/purchases`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': xolaKey },
    body: JSON.stringify({ customerName: 'Demo Customer', customerEmail: 'demo.customer@example.com', seller: sellerId, items: [{ product: { id: exp.id }, arrivalDate: period.startAt, quantity: 2 }] }),
  });
  if (!sale.id) { say(`  Xola refused the purchase: ${sale.message ?? 'unknown reason'}`); return; }
  const deadline = Date.now() + 60_000;
  for (;;) {
    const k = await json<KoobRecords>(`${koobUrl}/__sim/records`);
    const booking = k.bookings?.find((b) => b.toReference.startsWith(`bridge:xola:${sale.id}:`));
    if (booking) {
      // Give the follow-up sync a moment to reach every channel.
      await new Promise((r) => setTimeout(r, 3000));
      say(`  Xola purchase ${sale.id} → webhook → KOOB booking ${booking.id} (${booking.state})`);
      say(`  after:  ${await seats(sims, product.name, product.id, period.startAt)}`);
      return;
    }
    if (Date.now() > deadline) { say('  the booking did not reach KOOB within 60 s (see `npx bridge problems --connection demo`)'); return; }
    await new Promise((r) => setTimeout(r, 500));
  }
}
