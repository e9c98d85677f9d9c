package org.licensing.issuer.bench;

import static org.licensing.issuer.bench.BenchSupport.HTTP;
import static org.licensing.issuer.bench.BenchSupport.env;
import static org.licensing.issuer.bench.BenchSupport.pct;
import static org.licensing.issuer.bench.BenchSupport.throughput;
import static org.licensing.issuer.bench.BenchSupport.timed;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.licensing.issuer.readmodel.DirectStatements;
import org.licensing.testsupport.LocalBackends;
import org.licensing.testsupport.bench.ReadModelSeed;
import org.licensing.testsupport.TestTokens;

/**
 * The read-model benchmark (not a test; license-issuer/bench/run.sh runs it): starts the harness' DynamoDB and
 * PostgreSQL in this JVM, the packaged issuer as a process of its own ({@link BenchSupport}) (profile local, ephemeral secrets, trusting
 * TestTokens' key), seeds 100,000 license summaries over 2,000 customers (LICENSES=1000000 CUSTOMERS=20000 for the
 * million) straight into PostgreSQL (generate_series: search, stats and export read only the read model, so no
 * DynamoDB record is needed; the counters' trigger fills the stats counters), then measures with 8 concurrent clients:
 * five typical back-office searches (p50/p99), each beside the same statement run straight on PostgreSQL over JDBC,
 * the stats call (also straight), the throughput of the searches as a ratio to the same statements on PostgreSQL and
 * to GET /q/health/live, and a full CSV export (time, and the issuer's peak RSS during it against its RSS just
 * before). Prints the figures; asserts nothing.
 *
 * <p>Arguments: the issuer's quarkus-run.jar, the work directory. Env: LICENSES (100000), CUSTOMERS (2000),
 * CLIENTS (8), REQUESTS (400 per search), SECONDS (10 per throughput run), ISSUER_JAVA_OPTS.
 */
public final class SearchBench {

    private SearchBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Files.createDirectories(work);
        int licenses = env("LICENSES", 100_000);
        int customers = env("CUSTOMERS", 2_000);
        int clients = env("CLIENTS", 8);
        int requests = env("REQUESTS", 400);
        int seconds = env("SECONDS", 10);

        BenchSupport.Issuer started = BenchSupport.start(jar, work, Map.of());
        Process issuer = started.process();
        String base = started.base();
        try {
            System.out.printf("issuer up on %s (pid %d); seeding %,d summaries over %,d customers...%n", base,
                    issuer.pid(), licenses, customers);
            long seedStart = System.nanoTime();
            ReadModelSeed.seed(licenses, customers);
            System.out.printf("  seeded in %.1f s%n", (System.nanoTime() - seedStart) / 1e9);
            String token = TestTokens.shared().builder().subject("bench@vendor.example").roles("licenses:read")
                    .lifetime(Duration.ofHours(2)).sign();
            run(base, token, issuer.pid(), clients, requests, seconds, licenses, customers);
        } finally {
            started.close();
        }
    }

    private static void run(String base, String token, long pid, int clients, int requests, int seconds,
            int licenses, int customers) throws Exception {
        String in30Days = Instant.now().plus(Duration.ofDays(30)).toString();
        String customer = md5Uuid("c" + (customers / 2));
        Map<String, String> searches = new LinkedHashMap<>();
        searches.put("expiring in 30 days (ACTIVE)", "status=ACTIVE&expiresBefore=" + in30Days);
        searches.put("customer name contains", "q=" + enc("customer 12"));
        searches.put("one customer, newest first", "customerId=" + customer + "&sort=issuedAt&order=desc");
        searches.put("product + SUSPENDED", "productCode=product-7&status=SUSPENDED");
        searches.put("cuda.device >= 8, by name", "minLimit=" + enc("cuda.device:8") + "&sort=customerName");
        // warm-up: JIT, pools, PostgreSQL caches
        for (String query : searches.values()) {
            timed(clients, requests / 2, () -> get(base + "/v1/licenses?" + query, token));
        }
        timed(clients, 200, () -> get(base + "/q/health/live", null));

        System.out.printf("%nlicense-issuer read-model benchmark: %,d licenses, %,d customers, %d clients, %d"
                + " requests per search, limit 50, %d cores, load %s%n", licenses, customers, clients, requests,
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim());
        // the same statements straight on PostgreSQL: JDBC, one connection per client, unnamed statements
        // (prepareThreshold=0) like the issuer's reactive client, so PostgreSQL plans them with the values alike
        ThreadLocal<Connection> db = ThreadLocal.withInitial(() -> {
            try {
                String url = LocalBackends.shared().jdbcUrl();
                return DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "prepareThreshold=0",
                        LocalBackends.DB_USER, LocalBackends.DB_PASSWORD);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        for (String query : searches.values()) {
            timed(clients, requests / 2, () -> direct(db.get(), query));
        }
        System.out.printf("  %-36s %-26s %-26s%n", "", "issuer (HTTP)", "PostgreSQL (JDBC)");
        for (Map.Entry<String, String> s : searches.entrySet()) {
            List<Long> lat = timed(clients, requests, () -> get(base + "/v1/licenses?" + s.getValue(), token));
            List<Long> pg = timed(clients, requests, () -> direct(db.get(), s.getValue()));
            System.out.printf("  search %-29s p50 %6.2f  p99 %6.2f ms   p50 %6.2f  p99 %6.2f ms   (%s)%n", s.getKey(),
                    pct(lat, 50), pct(lat, 99), pct(pg, 50), pct(pg, 99), s.getValue());
        }
        List<Long> stats = timed(1, 50, () -> get(base + "/v1/licenses/stats", token));
        List<Long> statsPg = timed(1, 50, () -> directStats(db.get(), ""));
        System.out.printf("  stats (all %,d licenses, 1 client)  p50 %6.2f  p99 %6.2f ms   p50 %6.2f  p99 %6.2f ms%n",
                licenses, pct(stats, 50), pct(stats, 99), pct(statsPg, 50), pct(statsPg, 99));
        List<Long> stats8 = timed(clients, 200, () -> get(base + "/v1/licenses/stats", token));
        List<Long> stats8Pg = timed(clients, 200, () -> directStats(db.get(), ""));
        System.out.printf("  stats (all, %d clients)              p50 %6.2f  p99 %6.2f ms   p50 %6.2f  p99 %6.2f ms%n",
                clients, pct(stats8, 50), pct(stats8, 99), pct(stats8Pg, 50), pct(stats8Pg, 99));
        List<Long> statsFiltered = timed(1, 50, () -> get(base + "/v1/licenses/stats?productCode=product-7", token));
        List<Long> statsFilteredPg = timed(1, 50, () -> directStats(db.get(), "productCode=product-7"));
        System.out.printf("  stats (productCode=product-7)       p50 %6.2f  p99 %6.2f ms   p50 %6.2f  p99 %6.2f ms%n",
                pct(statsFiltered, 50), pct(statsFiltered, 99), pct(statsFilteredPg, 50), pct(statsFilteredPg, 99));
        String customerStats = "customerId=" + customer;
        List<Long> statsCustomer = timed(1, 50, () -> get(base + "/v1/licenses/stats?" + customerStats, token));
        System.out.printf("  stats (one customer: counts rows)   p50 %6.2f  p99 %6.2f ms%n", pct(statsCustomer, 50),
                pct(statsCustomer, 99));

        double live = throughput(clients, seconds, () -> get(base + "/q/health/live", null));
        List<String> queries = new ArrayList<>(searches.values());
        AtomicLong next = new AtomicLong();
        double search = throughput(clients, seconds, () -> get(base + "/v1/licenses?"
                + queries.get((int) (next.getAndIncrement() % queries.size())), token));
        AtomicLong nextPg = new AtomicLong();
        double searchPg = throughput(clients, seconds, () -> direct(db.get(),
                queries.get((int) (nextPg.getAndIncrement() % queries.size()))));
        System.out.printf("  throughput: searches %.0f req/s, the same statements on PostgreSQL %.0f/s (issuer/PostgreSQL"
                + " %.2f), /q/health/live %.0f req/s (searches/health %.3f)%n", search, searchPg, search / searchPg,
                live, search / live);

        System.gc();
        Thread.sleep(2_000);
        long idle = rssKb(pid);
        AtomicBoolean exporting = new AtomicBoolean(true);
        AtomicLong peak = new AtomicLong(idle);
        Thread sampler = new Thread(() -> {
            while (exporting.get()) {
                peak.accumulateAndGet(rssKb(pid), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long t0 = System.nanoTime();
        HttpResponse<InputStream> csv = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/licenses.csv"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        long lines = 0;
        try (InputStream body = csv.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) > 0; ) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        double exportSeconds = (System.nanoTime() - t0) / 1e9;
        exporting.set(false);
        sampler.join();
        long hwm = hwmKb(pid);
        System.out.printf("  CSV export: status %d, %,d lines (header + rows), %.1f MiB in %.2f s (%.0f rows/s)%n",
                csv.statusCode(), lines, bytes / 1048576.0, exportSeconds, (lines - 1) / exportSeconds);
        System.out.printf("  issuer RSS: idle %.0f MiB, peak during export %.0f MiB (+%.0f MiB); VmHWM over the"
                + " whole run %.0f MiB%n", idle / 1024.0, peak.get() / 1024.0, (peak.get() - idle) / 1024.0,
                hwm / 1024.0);
    }

    /** One search page straight on PostgreSQL: the issuer's statement; rows read as the issuer reads them. */
    private static int direct(Connection c, String query) throws Exception {
        try (PreparedStatement ps = DirectStatements.page(c, query); ResultSet rs = ps.executeQuery()) {
            int n = 0;
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    rs.getString(i);
                }
                n++;
            }
            return n;
        }
    }

    private static int directStats(Connection c, String query) throws Exception {
        try (PreparedStatement ps = DirectStatements.stats(c, query, Instant.now()); ResultSet rs = ps.executeQuery()) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            return n;
        }
    }

    private static int get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + new String(r.body(),
                    StandardCharsets.UTF_8));
        }
        return r.body().length;
    }

    private static long rssKb(long pid) {
        return status(pid, "VmRSS:");
    }

    private static long hwmKb(long pid) {
        return status(pid, "VmHWM:");
    }

    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String md5Uuid(String text) {
        return ReadModelSeed.md5Uuid(text).toString();
    }
}
