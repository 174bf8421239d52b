import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { bookOnce, KoobClient, koobBookingFor } from '../../../src/connectors/koob/index.js';
import { CreateOutcomeUnknownError, TransientError } from '../../../src/errors.js';
import { neverSent } from '../../../src/http/classify.js';
import { failure } from '../../helpers/knobs.js';

/** A port nothing listens on: connections to it are refused. */
const closedPort = () => new Promise<number>((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); });
});

describe('KOOB write-back: a request that never left may be sent again', () => {
  it('a refused connection is a plain TransientError (retried), not an unknown outcome', async () => {
    const client = new KoobClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, apiKey: () => 'k' });
    const request = koobBookingFor({ experienceId: '4104', date: '2027-01-10', durationMinutes: 60, adults: 2, children: 0, leadName: 'Ada Lovelace', leadEmail: 'ada@example.com', reference: 'bridge:xola:p1:l1' });
    const err = await failure(bookOnce(client, { ...request, toReference: 'bridge:xola:p1:l1' }));
    expect(err).toBeInstanceOf(TransientError);
    expect(err).not.toBeInstanceOf(CreateOutcomeUnknownError);
    expect(neverSent(err)).toBe(true);
  });

  it('a reset or a 5xx is not proof of anything: neverSent stays false', () => {
    expect(neverSent(new TransientError('koob POST → 500', { status: 500 }))).toBe(false);
    expect(neverSent(new TransientError('koob POST: ECONNRESET', { code: 'ECONNRESET' }))).toBe(false);
  });
});
