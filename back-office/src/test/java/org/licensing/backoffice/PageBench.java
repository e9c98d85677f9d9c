package org.licensing.backoffice;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.licensing.testsupport.process.PackagedService;
import org.licensing.testsupport.bench.ReadModelSeed;
import org.licensing.testsupport.idp.KeycloakServer.DemoUser;

/**
 * Page benchmark of the back office (a main, run by {@code back-office/bench/run.sh}; smoke-run in {@code verify}).
 * It starts what the back office's tests use (Keycloak with the licensing realm, the packaged issuer and
 * notification service on the harness back ends), seeds {@code LICENSES} license summaries over {@code CUSTOMERS}
 * customers straight into the issuer's read model, starts the packaged back office (profile local), signs in
 * through Keycloak's real login form as the admin demo user, and then renders, with {@code CLIENTS} concurrent
 * clients on that session, the dashboard (the issuer's stats), a license search, a license page, a customer page
 * (a customer with 25 licenses issued through the API) and the back office's own trivial page ({@code /signed-out}:
 * a template and no API call). Prints p50/p95 per page and each page's throughput as a ratio to the trivial page's,
 * measured in the same run. Every answer must be 200 and hold its page's heading, or the run fails: a page that
 * breaks cannot print a figure. Asserts no timing.
 *
 * <p>Knobs (environment, or system properties of the same name): LICENSES (100000), CUSTOMERS (2000), CLIENTS (4),
 * REQUESTS (200 per page), WORK (target/bench: the back office's log).
 */
public final class PageBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PageBench() {
    }

    /** A page to render and the text that shows it rendered (not an error page). */
    private record PageUnderTest(String name, String path, String marker) {
    }

    /**
     * Runs the benchmark and exits: Keycloak, the back ends and the services are stopped by their shutdown hooks (the
     * harness keeps them for a test JVM's next class, so without the exit the JVM would wait on them forever).
     */
    public static void main(String[] args) {
        int status = 1;
        try {
            bench();
            status = 0;
        } catch (Throwable e) {
            e.printStackTrace();
        } finally {
            System.exit(status);
        }
    }

    private static void bench() throws Exception {
        int licenses = env("LICENSES", 100_000);
        int customers = env("CUSTOMERS", 2_000);
        int clients = env("CLIENTS", 4);
        int requests = env("REQUESTS", 200);
        Path work = Path.of(System.getProperty("WORK", System.getenv().getOrDefault("WORK", "target/bench")));
        Files.createDirectories(work);

        BackOfficeHarness harness = BackOfficeHarness.shared();
        System.out.printf("seeding %,d license summaries over %,d customers...%n", licenses, customers);
        long seedStart = System.nanoTime();
        ReadModelSeed.seed(licenses, customers);
        System.out.printf("  seeded in %.1f s%n", (System.nanoTime() - seedStart) / 1e9);

        Map<String, String> config = new BackOfficeResource().start();
        try (PackagedService backOffice = PackagedService.of("back-office", PackagedService.envOf(config), work)) {
            backOffice.start(Duration.ofSeconds(180));
            URI base = backOffice.url();
            String cookies;
            try (Browser browser = Browser.signIn(base, DemoUser.ADMIN, "/")) {
                cookies = browser.web.getCookies(base.toURL()).stream()
                        .map(c -> c.getName() + "=" + c.getValue()).collect(Collectors.joining("; "));
            }
            // The customer page reads each license's live record (DynamoDB), which seeded summaries do not have:
            // it shows a customer whose 25 licenses were issued through the API, among the seeded ones.
            String customer = harness.newCustomer("Bench Customer GmbH");
            for (int i = 0; i < 25; i++) {
                harness.issue(customer, java.util.Map.of());
            }
            List<PageUnderTest> pages = List.of(
                    new PageUnderTest("trivial page (/signed-out)", "/signed-out", "<html"),
                    new PageUnderTest("dashboard", "/", "<h1"),
                    new PageUnderTest("search: ACTIVE, product-7", "/licenses?status=ACTIVE&productCode=product-7",
                            "<table"),
                    new PageUnderTest("license page", "/licenses/" + harness.licenseId, harness.licenseId),
                    new PageUnderTest("customer page (25 licenses)", "/customers/" + customer,
                            "Bench Customer GmbH"));
            for (PageUnderTest page : pages) { // warm-up: JIT, pools, caches; and each page renders
                run(base, cookies, page, clients, Math.max(clients, requests / 4));
            }
            System.out.printf("%nback-office page benchmark: %,d licenses, %,d customers, %d clients, %d requests"
                    + " per page, %d cores, load %s%n", licenses, customers, clients, requests,
                    Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim());
            double trivialRate = 0;
            for (PageUnderTest page : pages) {
                Result r = run(base, cookies, page, clients, requests);
                if (trivialRate == 0) {
                    trivialRate = r.perSecond();
                }
                System.out.printf("  %-28s p50 %7.2f ms  p95 %7.2f ms  %7.0f pages/s  ratio to trivial %.3f%n",
                        page.name(), r.percentile(50), r.percentile(95), r.perSecond(), r.perSecond() / trivialRate);
            }
        }
    }

    private record Result(List<Double> millis, double seconds) {
        double percentile(int p) {
            List<Double> sorted = millis.stream().sorted().toList();
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }

        double perSecond() {
            return millis.size() / seconds;
        }
    }

    /** {@code requests} GETs of the page over {@code clients} threads; fails on any answer that is not the page. */
    private static Result run(URI base, String cookies, PageUnderTest page, int clients, int requests)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(page.path())).header("Cookie", cookies)
                .timeout(Duration.ofSeconds(30)).GET().build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Double> millis = new ArrayList<>();
        long start = System.nanoTime();
        try {
            List<Future<List<Double>>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int share = requests / clients + (c < requests % clients ? 1 : 0);
                futures.add(pool.submit(() -> {
                    List<Double> mine = new ArrayList<>(share);
                    for (int i = 0; i < share; i++) {
                        long t = System.nanoTime();
                        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                        mine.add((System.nanoTime() - t) / 1e6);
                        if (answer.statusCode() != 200 || !answer.body().contains(page.marker())) {
                            throw new IllegalStateException(page.name() + " (" + page.path() + ") answered "
                                    + answer.statusCode() + " without '" + page.marker() + "':\n"
                                    + answer.body().substring(0, Math.min(2000, answer.body().length())));
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<Double>> f : futures) {
                millis.addAll(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(millis, (System.nanoTime() - start) / 1e9);
    }

    /** A knob: the system property of that name (the build's smoke sets them), else the environment variable. */
    private static int env(String name, int fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
