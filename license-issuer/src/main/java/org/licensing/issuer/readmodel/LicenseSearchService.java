package org.licensing.issuer.readmodel;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.licensing.issuer.config.IssuerConfig;
import org.licensing.issuer.security.Caller;
import org.licensing.issuer.support.Ids;
import org.licensing.support.problem.Problems;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Search, stats and CSV export over the read model. A portal token's customer becomes part of every query (see
 * {@link LicenseSummaryStore}); its cursor fingerprint includes that scope too.
 */
@ApplicationScoped
public class LicenseSearchService {

    /** A customer id no customer has: the scope of a portal token whose claim is not a UUID (it sees nothing). */
    private static final UUID NOBODY = new UUID(0, 0);
    private static final List<LicenseSummary> END = new ArrayList<>();

    /** The months a status history may span. */
    static final int MAX_HISTORY_MONTHS = 24;
    private static final List<String> HISTORY_PARAMETERS = List.of("months", "productCode");

    private final LicenseSummaryStore store;
    private final StatusHistoryStore history;
    private final Map<HistoryKey, CachedHistory> historyCache = new ConcurrentHashMap<>();
    private final Clock clock;
    private final IssuerConfig config;

    public LicenseSearchService(LicenseSummaryStore store, StatusHistoryStore history, Clock clock,
            IssuerConfig config) {
        this.store = store;
        this.history = history;
        this.clock = clock;
        this.config = config;
    }

    public Uni<LicensePageView> search(SearchParams params, Map<String, List<String>> query, Caller caller) {
        LicenseSearch search = LicenseSearch.parse(params, query);
        UUID scope = scope(caller);
        String fingerprint = search.fingerprint(String.valueOf(scope));
        SearchCursor after = SearchCursor.decode(params.cursor, fingerprint);
        return store.page(search, scope, after, search.limit()).map(rows -> {
            if (rows.size() <= search.limit()) {
                return new LicensePageView(rows, null);
            }
            List<LicenseSummary> page = rows.subList(0, search.limit());
            LicenseSummary last = page.get(page.size() - 1);
            return new LicensePageView(List.copyOf(page), new SearchCursor(fingerprint, last.licenseId(),
                    LicenseSummaryStore.cursorKey(search.sort(), last)).encode());
        });
    }

    public Uni<LicenseStats> stats(SearchParams params, Map<String, List<String>> query, Caller caller) {
        return store.stats(LicenseSearch.parse(params, query), scope(caller), clock.instant());
    }

    /**
     * Licenses per status at the last {@code months} (1-24, default 12) UTC month ends and now, for one product or
     * all; a portal token's customer only.
     */
    public Uni<StatusHistory> statusHistory(String months, String productCode, Set<String> parameters,
            Caller caller) {
        // as the search's: a misspelled parameter must not silently answer for everything
        for (String name : parameters) {
            if (!HISTORY_PARAMETERS.contains(name)) {
                throw Problems.badRequest(name + ": unknown parameter; known: " + HISTORY_PARAMETERS);
            }
        }
        int n = months == null || months.isBlank() ? 12 : parseMonths(months);
        String product = productCode == null || productCode.isBlank() ? null : productCode;
        UUID scope = scope(caller);
        Instant now = clock.instant();
        if (scope != null || config.readModel().statusHistoryCache().isZero()) {
            return history.history(n, product, scope, now);
        }
        HistoryKey key = new HistoryKey(n, product);
        CachedHistory cached = historyCache.get(key);
        if (cached != null && now.isBefore(cached.until())) {
            return Uni.createFrom().item(cached.answer());
        }
        return history.history(n, product, null, now).invoke(answer -> historyCache.put(key,
                new CachedHistory(answer, now.plus(config.readModel().statusHistoryCache()))));
    }

    /** A cached status history's question: bounded (24 x the products), so entries are replaced, never evicted. */
    private record HistoryKey(int months, String productCode) {
    }

    private record CachedHistory(StatusHistory answer, Instant until) {
    }

    private static int parseMonths(String months) {
        try {
            int n = Integer.parseInt(months.trim());
            if (n >= 1 && n <= MAX_HISTORY_MONTHS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Problems.badRequest("months: must be a whole number from 1 to " + MAX_HISTORY_MONTHS + ", got '"
                + months + "'");
    }

    /**
     * Every matching row as CSV, header first, fetched in keyset pages of {@code licensing.read-model.export-page-size}
     * rows as the client reads (one page in memory at a time). Parameters are checked before the first byte.
     */
    public Multi<String> export(SearchParams params, Map<String, List<String>> query, Caller caller) {
        LicenseSearch search = LicenseSearch.parse(params, query);
        UUID scope = scope(caller);
        int pageSize = config.readModel().exportPageSize();
        Multi<List<LicenseSummary>> pages = Multi.createBy().repeating()
                .uni(ExportState::new, state -> {
                    if (state.done) {
                        return Uni.createFrom().item(END);
                    }
                    return store.page(search, scope, state.after, pageSize).map(rows -> {
                        List<LicenseSummary> page = rows.size() > pageSize ? rows.subList(0, pageSize) : rows;
                        state.done = rows.size() <= pageSize;
                        if (!page.isEmpty()) {
                            LicenseSummary last = page.get(page.size() - 1);
                            state.after = new SearchCursor("", last.licenseId(),
                                    LicenseSummaryStore.cursorKey(search.sort(), last));
                        }
                        return page;
                    });
                })
                .until(page -> page == END);
        Multi<String> rows = pages.filter(page -> !page.isEmpty()).map(page -> {
            StringBuilder chunk = new StringBuilder(page.size() * 256);
            page.forEach(s -> chunk.append(Csv.row(s)));
            return chunk.toString();
        });
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(Csv.HEADER), rows);
    }

    private static UUID scope(Caller caller) {
        Optional<String> scope = caller.customerScope();
        return scope.map(s -> Ids.parseUuid(s).orElse(NOBODY)).orElse(null);
    }

    private static final class ExportState {
        SearchCursor after;
        boolean done;
    }
}
