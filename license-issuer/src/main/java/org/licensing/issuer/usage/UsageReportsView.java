package org.licensing.issuer.usage;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A license's usage reports: the state of each relay's chain and the latest reports, newest period first. */
@Schema(name = "UsageReports")
public record UsageReportsView(String licenseId, List<ReportChainView> chains, List<UsageReportView> reports) {
}
