import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from './ids.js';

export const connectionKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.connection, SearchAttributeType.KEYWORD);
export const sourceProductIdKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.sourceProductId, SearchAttributeType.KEYWORD);
export const lastResultKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.lastResult, SearchAttributeType.KEYWORD);
export const targetIdsKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.targetIds, SearchAttributeType.KEYWORD_LIST);

/** Every key, for servers that must register them (dev server flags, test environment). */
export const ALL_SEARCH_ATTRIBUTE_KEYS = [connectionKey, sourceProductIdKey, lastResultKey, targetIdsKey];

/** Search attributes a product's entity workflow starts with (ids only, no personal data). */
export function productSyncSearchAttributes(connection: string, sourceProductId: string): TypedSearchAttributes {
  return new TypedSearchAttributes([
    { key: connectionKey, value: connection },
    { key: sourceProductIdKey, value: sourceProductId },
  ]);
}

/**
 * Runs started without `BridgeConnection` (e.g. from the UI's Start Workflow form) add it
 * themselves, behind a patch so histories recorded before it still replay.
 */
export const CONNECTION_ATTRIBUTE_PATCH = 'connection-search-attribute';

/** What catalog and sweep runs start with, so the UI filters a connection's runs by `BridgeConnection`. */
export function connectionSearchAttributes(connection: string): TypedSearchAttributes {
  return new TypedSearchAttributes([{ key: connectionKey, value: connection }]);
}

/** `--search-attribute` flags for `temporal server start-dev`. */
export const DEV_SERVER_SEARCH_ATTRIBUTE_FLAGS: string[] = ALL_SEARCH_ATTRIBUTE_KEYS.flatMap((k) => ['--search-attribute', `${k.name}=${k.type === SearchAttributeType.KEYWORD_LIST ? 'KeywordList' : 'Keyword'}`]);

/**
 * The `BridgeTargetIds` of a product (`<platform>:<id>`): each target's experience id, and for Whop
 * also its product id, because a Whop sale names the product and plan it bought, never the
 * experience (SDK shared.ts `Membership.product`, `Payment.product`). The receiver and the sweep
 * route a sale to the products holding the id the sale names (src/temporal/lookup.ts).
 */
export function targetRoutingIds(targets: Record<string, { ids: Record<string, string> }>): string[] {
  return Object.entries(targets).flatMap(([p, t]) => [
    ...(t.ids.experience ? [`${p}:${t.ids.experience}`] : []),
    ...(p === 'whop' && t.ids.product ? [`${p}:${t.ids.product}`] : []),
  ]);
}
