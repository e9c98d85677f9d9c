package org.licensing.issuer.readmodel;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One page of a search; {@code nextCursor} is absent on the last page. */
@Schema(name = "LicenseSummaryPage", description = "One page of licenses; pass nextCursor back as cursor (with the"
        + " same filters and sort) for the next one. Absent on the last page.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LicensePageView(List<LicenseSummary> items, String nextCursor) {
}
