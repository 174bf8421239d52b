import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from './ids.js';

export const connectionKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.connection, SearchAttributeType.KEYWORD);
export const sourceProductIdKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.sourceProductId, SearchAttributeType.KEYWORD);
export const lastResultKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.lastResult, SearchAttributeType.KEYWORD);

/** Search attributes a product's entity workflow starts with (ids only, no personal data). */
export function productSyncSearchAttributes(connection: string, sourceProductId: string): TypedSearchAttributes {
  return new TypedSearchAttributes([
    { key: connectionKey, value: connection },
    { key: sourceProductIdKey, value: sourceProductId },
  ]);
}

/** `--search-attribute` flags for `temporal server start-dev`. */
export const DEV_SERVER_SEARCH_ATTRIBUTE_FLAGS: string[] = Object.values(SEARCH_ATTRIBUTES).flatMap((name) => ['--search-attribute', `${name}=Keyword`]);
