package org.licensing.issuer.usage;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.core.usage.UsageReport;
import org.licensing.core.usage.UsageReportChain;
import org.licensing.issuer.audit.AuditAction;
import org.licensing.issuer.audit.AuditEvent;
import org.licensing.issuer.audit.AuditLog;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.security.LicenseVisibility;
import org.licensing.store.LicenseRecord;
import org.licensing.core.problem.ProblemType;
import org.licensing.support.problem.Problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The intake of usage reports: verify ({@link ReportVerifier}), refuse a replay, check the chain of the report's
 * relay key (license-core's {@link UsageReportChain}), then store the report, its days and its audit event in one
 * PostgreSQL transaction. Two submissions of the same chain position race on a unique constraint: exactly one is
 * inserted, the other is answered as what it turned out to be (the same report: replayed; another: out of sequence).
 */
@ApplicationScoped
public class UsageReportService {

    /** Longest date range of a usage query, in days. */
    static final int MAX_RANGE_DAYS = 366;
    static final int DEFAULT_RANGE_DAYS = 30;
    /** How far a report's end may be ahead of the issuer's clock. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final TypeReference<Map<String, String>> FIGURES = new TypeReference<>() {
    };

    private final LicenseVisibility visibility;
    private final UsageStore store;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;

    public UsageReportService(LicenseVisibility visibility, UsageStore store, AuditLog audit, ObjectMapper json,
            Clock clock, MeterRegistry metrics) {
        this.visibility = visibility;
        this.store = store;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Accepts the report in {@code text} into license {@code licenseId}'s chain of its relay key. */
    public Uni<UsageReportView> submit(String licenseId, String text, Caller caller) {
        String actor = caller.actor();
        String address = caller.clientAddress();
        return visibility.visibleLicense(licenseId, caller).chain(license -> store
                .relayCheckouts(UUID.fromString(license.licenseId()))
                .map(checkouts -> requireEnded(ReportVerifier.verify(text, license.licenseId(),
                        license.productCode(), checkouts)))
                .call(v -> store.byHash(v.hash()).invoke(seen -> {
                    if (seen != null) {
                        throw replayed(seen);
                    }
                }))
                .chain(v -> accept(license, v, actor, address)));
    }

    /** Stores {@code v} if it continues its chain: the report, its days and its audit event in one transaction. */
    private Uni<UsageReportView> accept(LicenseRecord license, ReportVerifier.Verified v, String actor,
            String address) {
        UUID id = UUID.fromString(license.licenseId());
        return store.lastOfChain(id, v.thumbprint()).chain(last -> {
            requireNext(last, v.report());
            ReceivedReport row = row(id, v, actor);
            UsageReportView view = view(row);
            AuditEvent event = audit.event(AuditAction.LICENSE_USAGE_REPORTED).actor(actor).clientAddress(address)
                    .target(license.licenseId()).customer(license.customerId()).after(view).build();
            return Panache.withTransaction(() -> store.insert(row, v.report().days())
                            .chain(() -> audit.recordCommitted(event)))
                    .replaceWithVoid()
                    .onFailure(e -> UsageStore.violates(e, UsageStore.CHAIN_SEQUENCE_CONSTRAINT)
                            || UsageStore.violates(e, UsageStore.HASH_CONSTRAINT))
                    .recoverWithUni(e -> lostRace(v))
                    .invoke(() -> metrics.counter("licensing.usage_reports", "outcome", "accepted").increment())
                    .replaceWith(view);
        });
    }

    /** The license's report chains and its latest {@code limit} reports. */
    public Uni<UsageReportsView> list(String licenseId, int limit, Caller caller) {
        return visibility.visibleLicense(licenseId, caller).chain(license -> {
            UUID id = UUID.fromString(license.licenseId());
            return store.chainHeads(id).chain(heads -> store.reports(id, limit).map(reports -> new UsageReportsView(
                    license.licenseId(), heads.stream().map(ReportChainView::of).toList(),
                    reports.stream().map(this::view).toList())));
        });
    }

    /** Reported use per quantity per day from {@code from} to {@code to} (inclusive; null: the last 30 days). */
    public Uni<LicenseUsageView> usage(String licenseId, String from, String to, Caller caller) {
        LocalDate end = to != null ? day(to, "to") : LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate start = from != null ? day(from, "from") : end.minusDays(DEFAULT_RANGE_DAYS - 1L);
        if (start.isAfter(end)) {
            throw Problems.of(ProblemType.INVALID_DATE, "from (" + start + ") is after to (" + end + ")");
        }
        if (ChronoUnit.DAYS.between(start, end) >= MAX_RANGE_DAYS) {
            throw Problems.of(ProblemType.INVALID_DATE, "The range is at most " + MAX_RANGE_DAYS + " days");
        }
        return visibility.visibleLicense(licenseId, caller).chain(license -> store
                .daily(UUID.fromString(license.licenseId()), start, end)
                .map(days -> LicenseUsageView.of(license.licenseId(), start, end, days, limits(license))));
    }

    private static LocalDate day(String text, String name) {
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw Problems.of(ProblemType.INVALID_DATE, name + " must be a date (YYYY-MM-DD), not \"" + text + "\"");
        }
    }

    private static Map<String, BigDecimal> limits(LicenseRecord license) {
        return license.entitlements() == null ? Map.of() : license.entitlements().limits();
    }

    /**
     * A report's period must have ended by the issuer's clock (with {@link #CLOCK_SKEW}): the site's clock is not
     * trusted, and a report "covering" the future would satisfy a policy's reporting requirement in advance.
     */
    private ReportVerifier.Verified requireEnded(ReportVerifier.Verified v) {
        if (v.report().to().isAfter(clock.instant().plus(CLOCK_SKEW))) {
            throw Problems.badRequest("Report " + v.report().sequence() + " ends at " + v.report().to()
                    + ", in the future: the site's clock is ahead; set it right and make the report again");
        }
        return v;
    }

    private static void requireNext(ReceivedReport last, UsageReport report) {
        UsageReportChain.Link link = last == null ? null
                : new UsageReportChain.Link(last.sequence, last.reportHash, last.periodTo);
        Optional<UsageReportChain.Break> broken = UsageReportChain.check(link, report);
        if (broken.isEmpty()) {
            return;
        }
        UsageReportChain.Break b = broken.get();
        ProblemType type = switch (b) {
            case OUT_OF_SEQUENCE, WRONG_PREVIOUS -> ProblemType.USAGE_REPORT_OUT_OF_SEQUENCE;
            case GAP -> ProblemType.USAGE_REPORT_GAP;
            case OVERLAP -> ProblemType.USAGE_REPORT_OVERLAP;
        };
        var problem = Problems.builder(type, UsageReportChain.describe(b, link, report.sequence(), report.from()))
                .with("expectedSequence", UsageReportChain.nextSequence(link));
        UsageReportChain.nextFrom(link).ifPresent(f -> problem.with("expectedFrom", f.toString()));
        throw problem.build();
    }

    /** Another request inserted first: answer what this one turned out to be. */
    private Uni<Void> lostRace(ReportVerifier.Verified v) {
        return store.byHash(v.hash()).chain(seen -> {
            if (seen != null) {
                return Uni.createFrom().failure(replayed(seen));
            }
            return store.lastOfChain(UUID.fromString(v.report().licenseId()), v.thumbprint())
                    .invoke(last -> requireNext(last, v.report()))
                    .chain(last -> Uni.createFrom().failure(Problems.of(ProblemType.USAGE_REPORT_OUT_OF_SEQUENCE,
                            "Report " + v.report().sequence() + " of relay key " + v.relayKid()
                                    + " was taken by another report meanwhile; read the usage reports and retry")));
        });
    }

    private RuntimeException replayed(ReceivedReport seen) {
        metrics.counter("licensing.usage_reports", "outcome", "replayed").increment();
        return Problems.builder(ProblemType.USAGE_REPORT_REPLAYED, "This report (report " + seen.sequence
                        + " of relay key " + seen.relayKid + ") was accepted on " + seen.receivedAt
                        + "; send the next one")
                .with("sequence", seen.sequence).with("receivedAt", seen.receivedAt.toString()).build();
    }

    private ReceivedReport row(UUID licenseId, ReportVerifier.Verified v, String actor) {
        UsageReport r = v.report();
        ReceivedReport row = new ReceivedReport();
        row.id = UUID.randomUUID();
        row.licenseId = licenseId;
        row.relayThumbprint = v.thumbprint();
        row.relayKid = v.relayKid();
        row.fingerprint = r.fingerprint();
        row.reportId = r.id();
        row.sequence = r.sequence();
        row.previousHash = r.previousHash();
        row.reportHash = v.hash();
        row.periodFrom = r.from();
        row.periodTo = r.to();
        row.checkoutId = r.checkoutId() == null ? null : UUID.fromString(r.checkoutId());
        row.madeAt = r.issuedAt();
        row.receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        row.receivedBy = actor;
        row.totals = toJson(UsageReportView.strings(r.totals()));
        row.peak = toJson(UsageReportView.strings(r.peak()));
        row.logSeq = r.logSeq();
        row.logHash = r.logHash();
        row.jws = v.jws();
        return row;
    }

    private UsageReportView view(ReceivedReport r) {
        try {
            return UsageReportView.of(r, json.readValue(r.totals, FIGURES), json.readValue(r.peak, FIGURES));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored figures of report " + r.id + " are not JSON", e);
        }
    }

    private String toJson(Map<String, String> figures) {
        try {
            return json.writeValueAsString(figures);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
