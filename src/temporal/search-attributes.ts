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
