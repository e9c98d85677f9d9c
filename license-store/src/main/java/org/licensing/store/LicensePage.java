package org.licensing.store;

import java.util.List;

/**
 * One page of a query.
 *
 * @param nextCursor opaque; pass it back for the next page; null on the last page
 * @param itemsRead items DynamoDB read for this page (its ScannedCount), before any filter
 */
public record LicensePage(List<LicenseRecord> licenses, String nextCursor, long itemsRead) {
}
