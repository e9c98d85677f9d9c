package org.licensing.issuer.usage;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.core.usage.UsageReportChain;

/**
 * Where a relay's report chain stands: its last accepted report and what the next one must carry.
 *
 * @param coveredUntil where the last accepted report ended: the site's usage is known up to here
 * @param nextFrom where the next report must start
 */
@Schema(name = "UsageReportChain")
public record ReportChainView(String relayKid, String relayThumbprint, String fingerprint, long lastSequence,
        String lastReportHash, Instant coveredUntil, long nextSequence, String nextPreviousReport, Instant nextFrom) {

    static ReportChainView of(ReceivedReport last) {
        UsageReportChain.Link link = new UsageReportChain.Link(last.sequence, last.reportHash, last.periodTo);
        return new ReportChainView(last.relayKid, last.relayThumbprint, last.fingerprint, last.sequence,
                last.reportHash, last.periodTo, UsageReportChain.nextSequence(link),
                UsageReportChain.nextPrevious(link), UsageReportChain.nextFrom(link).orElse(null));
    }
}
