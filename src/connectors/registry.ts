import type { Connection, Endpoint, Platform } from '../config.js';
import type { BlindChannel } from '../canonical/allocation.js';
import { ConfigError } from '../errors.js';
import { fanfareTarget } from './fanfare/index.js';
import { gomryTarget } from './gomry/index.js';
import { koobSource, koobTarget } from './koob/index.js';
import { whopChannel, whopTarget } from './whop/index.js';
import type { ChannelConnector, ConnectorFactory, SourceConnector, TargetConnector } from './types.js';
import { xolaChannel, xolaSource, xolaTarget } from './xola/index.js';

/** Which roles each platform's connector can take today. */
export const CONNECTORS: Partial<Record<Platform, ConnectorFactory>> = {
  koob: { source: koobSource, target: koobTarget },
  xola: { source: xolaSource, target: xolaTarget, channel: xolaChannel },
  gomry: { target: gomryTarget },
  fanfare: { target: fanfareTarget },
  whop: { target: whopTarget, channel: whopChannel },
};

/** The source connector for an endpoint, or a ConfigError saying the platform cannot be a source yet. */
export function sourceFor(endpoint: Endpoint): SourceConnector {
  const make = CONNECTORS[endpoint.platform]?.source;
  if (!make) throw new ConfigError(`${endpoint.platform} cannot be a source yet`);
  return make(endpoint);
}

/** The booking-channel connector for an endpoint, or a ConfigError. */
export function channelFor(endpoint: Endpoint): ChannelConnector {
  const make = CONNECTORS[endpoint.platform]?.channel;
  if (!make) throw new ConfigError(`${endpoint.platform} cannot report bookings yet`);
  return make(endpoint);
}

/** The target connector for an endpoint, or a ConfigError saying the platform cannot be a target yet. */
export function targetFor(endpoint: Endpoint): TargetConnector {
  const make = CONNECTORS[endpoint.platform]?.target;
  if (!make) throw new ConfigError(`${endpoint.platform} cannot be a target yet`);
  return make(endpoint);
}

/**
 * The connection's targets that cannot report their sales (no `channel` connector), with their
 * allocations. KOOB is left out: as a target it is the supplier's own inventory system.
 */
export function blindChannels(connection: Connection): BlindChannel[] {
  return connection.targets
    .filter((t) => t.platform !== 'koob' && !CONNECTORS[t.platform]?.channel)
    .map((t) => ({ platform: t.platform, ...(t.allocation ? { allocation: t.allocation } : {}) }));
}
