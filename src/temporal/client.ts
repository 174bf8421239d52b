import { Client, type Connection } from '@temporalio/client';
import { bridgeDataConverter } from './codec.js';

/** Every Temporal client of the bridge: same namespace, same payload encryption as the workers. */
export function bridgeClient(connection: Connection, namespace = 'default'): Client {
  return new Client({ connection, namespace, dataConverter: bridgeDataConverter() });
}
