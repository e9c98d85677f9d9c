package org.licensing.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.testsupport.idp.KeycloakServer.DemoUser;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The back office in a real headless Chromium (Selenium, Debian's chromium and chromedriver) against Keycloak, the
 * packaged issuer, validator, notification service and back office on the local back ends: sign-in through
 * Keycloak's own login page as each role, finance's expiry view and CSV, an operator's issue (the key shown once)
 * and suspension (the validator answers SUSPENDED within its cache bound; the audit entry names the operator), a
 * viewer without actions whose forged POST is refused, a form without its CSRF token refused, a customer named
 * {@code <script>} shown as text, each expiry window's bounds (a license just expired, one either side of each
 * bound), an air-gapped machine's checkout made and returned in the browser with the example gpu-agent on the
 * machine, and axe-core on the main pages. Each step saves a screenshot under
 * {@code target/screenshots/}.
 *
 * <p>The methods are ordered only so the screenshots are numbered in a readable order; each signs in on its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackOfficeBrowserIT {

    private static final String SCRIPT_NAME = "<script>alert(1)</script>";
    static final String CSV_HEADER = "licenseId,customerId,customerName,customerExternalId,productCode,policyId,"
            + "status,issuedAt,notBefore,expiresAt,graceDays,limits,features";

    private static long classStart;
    private static LocalSystem system;
    private static String backOffice;
    private static DemoSeed.Seeded within10Days;
    private static String in50Days;
    private static String scriptCustomerId;
    private static String scriptLicense;
    private static String windowsCustomer;
    private static Instant windowsSeeded;
    /** The window customer's licenses by where they expire: "expired", or "N-1h" / "N+1h" around each window. */
    private static final Map<String, String> WINDOW_LICENSES = new java.util.TreeMap<>();
    /** How far from each window's bound the seeded expiries are: more than the class can take to reach the check. */
    private static final Duration MARGIN = Duration.ofHours(1);

    @BeforeAll
    static void startSystem() {
        classStart = System.nanoTime();
        system = SharedSystem.backOffice();
        backOffice = system.backOffice().url().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        DemoSeed seed = new DemoSeed(system);
        within10Days = seed.seed(now.plus(10, ChronoUnit.DAYS));
        ApiClient issuer = issuer();
        in50Days = issuer.postOk("/v1/licenses", Map.of("customerId", within10Days.customerId(),
                "policyId", within10Days.policyId(), "expiresAt", now.plus(50, ChronoUnit.DAYS).toString()))
                .path("licenseId").asText();
        scriptCustomerId = issuer.postOk("/v1/customers", Map.of("name", SCRIPT_NAME,
                "externalId", "crm-xss-" + UUID.randomUUID().toString().substring(0, 6))).path("id").asText();
        scriptLicense = issuer.postOk("/v1/licenses", Map.of("customerId", scriptCustomerId,
                "policyId", within10Days.policyId(), "expiresAt", now.plus(20, ChronoUnit.DAYS).toString()))
                .path("licenseId").asText();
        seedExpiryWindows(issuer);
        System.out.printf("browser test: system ready and seeded after %d ms%n", ms(classStart));
    }

    /**
     * A customer of its own with a license that has just expired and one either side of each window's bound
     * (7/30/60/90 days from now, {@link #MARGIN} inside and outside). The issuer refuses an expiry in the past,
     * so the expired one is issued to expire two seconds later and awaited: it sits right at the windows' lower
     * bound ({@code now <= expiresAt}), where a window that ignores it would still count it.
     */
    private static void seedExpiryWindows(ApiClient issuer) {
        windowsCustomer = issuer.postOk("/v1/customers", Map.of("name", "Expiry Windows Ltd",
                "externalId", "crm-win-" + UUID.randomUUID().toString().substring(0, 6))).path("id").asText();
        String policy = within10Days.policyId();
        Instant expired = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        WINDOW_LICENSES.put(issuer.postOk("/v1/licenses", Map.of("customerId", windowsCustomer, "policyId", policy,
                "expiresAt", expired.toString())).path("licenseId").asText(), "expired");
        windowsSeeded = Instant.now();
        for (String window : List.of("7", "30", "60", "90")) {
            Instant bound = windowsSeeded.plus(Long.parseLong(window), ChronoUnit.DAYS);
            for (String side : List.of("-1h", "+1h")) {
                Instant at = side.startsWith("-") ? bound.minus(MARGIN) : bound.plus(MARGIN);
                WINDOW_LICENSES.put(issuer.postOk("/v1/licenses", Map.of("customerId", windowsCustomer,
                        "policyId", policy, "expiresAt", at.toString())).path("licenseId").asText(), window + side);
            }
        }
        while (!Instant.now().isAfter(expired)) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @AfterAll
    static void wallTime() {
        System.out.printf("BackOfficeBrowserIT wall time (system start, seed, every browser step): %d ms%n",
                ms(classStart));
    }

    @Test
    @Order(1)
    void everyRoleSignsInThroughKeycloaksOwnLoginPage() {
        for (DemoUser user : DemoUser.all()) {
            try (Chromium browser = Chromium.start(user.username())) {
                browser.open(backOffice + "/");
                assertTrue(browser.currentUrl().startsWith(system.keycloak().baseUrl().toString()),
                        "the back office sends an anonymous visitor to Keycloak: " + browser.currentUrl());
                if (user == DemoUser.VIEWER) {
                    browser.screenshot("keycloak-login");
                }
                browser.keycloakLogin(user.username(), user.password(), "#user-name");
                browser.screenshot("dashboard-" + user.username());
                assertEquals(user.username(), browser.text("#user-name"));
                // From the token's groups: dana is an operator, the others are named after their role.
                assertEquals(user.role(), browser.text("#user-role"));
                assertTrue(browser.has("#status-counts"), "the dashboard, not: " + browser.text("main"));
                if (user == DemoUser.ADMIN) {
                    browser.assertAccessible("dashboard");
                }
                if (user == DemoUser.VIEWER) {
                    // Sign-out ends the Keycloak session too: the next visit asks for the password again.
                    browser.find("#sign-out").click();
                    browser.await("body");
                    assertTrue(browser.currentUrl().startsWith(backOffice + "/signed-out"), browser.currentUrl());
                    browser.screenshot("signed-out");
                    browser.open(backOffice + "/");
                    browser.await("#kc-form-login");
                }
            }
        }
    }

    @Test
    @Order(2)
    void financeFindsWhatExpiresWithin30DaysAndDownloadsTheCsv() {
        try (Chromium browser = signIn(DemoUser.FINANCE, "/finance")) {
            browser.await("main h1");
            browser.screenshot("finance-expiry");
            assertTrue(browser.has("#expiry-links"), "the expiry view, not: " + browser.text("main"));
            browser.assertAccessible("finance");
            browser.find("#expiry-links a[href^='/licenses?expiringWithin=30']").click();
            browser.await("main h1");
            assertTrue(browser.has("#license-results"), "the search results, not: " + browser.text("main"));
            List<String> listed = browser.all("#license-results tbody td:first-child a").stream()
                    .map(WebElement::getText).toList();
            assertTrue(listed.contains(within10Days.licenseId()), listed.toString());
            assertTrue(listed.contains(scriptLicense), listed.toString());
            assertFalse(listed.contains(in50Days), "50 days out is not within 30: " + listed);
            browser.screenshot("licenses-expiring-within-30-days");
            browser.assertAccessible("license search");

            browser.find("#csv-download").click();
            String csv = browser.awaitDownload(".csv");
            List<String> lines = csv.lines().toList();
            assertEquals(CSV_HEADER, lines.get(0));
            Instant bound = Instant.now().plus(30, ChronoUnit.DAYS);
            // Every text field is quoted (the issuer's CSV); none of these values holds a comma.
            List<String> ids = lines.stream().skip(1).map(l -> unquote(l.split(",", 2)[0])).toList();
            assertTrue(ids.contains(within10Days.licenseId()), csv);
            assertFalse(ids.contains(in50Days), csv);
            int expiresAt = Arrays.asList(CSV_HEADER.split(",")).indexOf("expiresAt");
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                // Customer names here have no comma; a quoted cell would shift the columns and fail loudly.
                assertTrue(Instant.parse(unquote(cells[expiresAt])).isBefore(bound), line);
            }
            String script = lines.stream().filter(l -> l.startsWith("\"" + scriptLicense + "\"")).findFirst()
                    .orElseThrow();
            assertTrue(script.contains(SCRIPT_NAME), "the CSV carries the name as it is: " + script);
        }
    }

    @Test
    @Order(3)
    void operatorIssuesTheKeyIsShownOnceSuspendsAndSeesItsAuditEntry() {
        try (Chromium browser = signIn(DemoUser.OPERATOR, "/licenses/new")) {
            browser.await("#issue-form");
            browser.assertAccessible("issue a license");
            new Select(browser.find("select[name=customerId]")).selectByValue(within10Days.customerId());
            new Select(browser.find("select[name=policyId]")).selectByValue(within10Days.policyId());
            browser.screenshot("issue-form");
            browser.find("#issue-form button[type=submit]").click();
            String key = browser.await("#license-key").getText().strip();
            String licenseId = browser.text("#issued-license");
            browser.screenshot("license-issued-key-shown-once");
            activate(key);
            assertEquals("VALID", validate(key).path("code").asText(), "the key works");

            browser.open(backOffice + "/licenses/" + licenseId);
            browser.await("#license-status");
            assertFalse(browser.source().contains(key), "the key is shown once, never again");
            assertEquals("ACTIVE", browser.text("#license-status"));
            browser.assertAccessible("license detail");
            browser.screenshot("license-detail-operator");

            browser.find("#license-actions a[data-action=suspend]").click();
            browser.await("#confirm-form");
            String reason = "laptop stolen, suspended until replaced " + UUID.randomUUID().toString().substring(0, 6);
            browser.find("#confirm-form textarea[name=reason]").sendKeys(reason);
            browser.screenshot("suspend-confirmation");
            long submitted = System.nanoTime();
            browser.find("#confirm-form button[type=submit]").click();
            browser.await("#done");
            assertEquals("SUSPENDED", browser.text("#license-status"));

            long after = Await.withinCacheBound(submitted, () -> validate(key).path("code").asText(), "SUSPENDED");
            System.out.printf("validator answered SUSPENDED %d ms after the suspend form was sent (bound %d s)%n",
                    after, Await.CACHE_BOUND.toSeconds());

            boolean audited = browser.all(".audit-events tbody tr").stream().anyMatch(row ->
                    row.findElement(org.openqa.selenium.By.cssSelector(".actor")).getText().equals("operator")
                            && row.findElement(org.openqa.selenium.By.cssSelector(".action")).getText()
                                    .toLowerCase().contains("suspend")
                            && row.findElement(org.openqa.selenium.By.cssSelector(".reason")).getText()
                                    .equals(reason));
            browser.screenshot("license-suspended-audit-entry");
            assertTrue(audited, "an audit entry by operator with the reason: "
                    + browser.find(".audit-events").getText());
        }
    }

    @Test
    @Order(4)
    void viewerSeesNoActionAndAForgedPostIsRefused() {
        String id = within10Days.licenseId();
        try (Chromium browser = signIn(DemoUser.VIEWER, "/licenses/" + id)) {
            browser.await("#license-status");
            assertFalse(browser.has("#license-actions"), "a viewer sees no action");
            assertFalse(browser.has("a[href='/licenses/new']"), "no issue link for a viewer");
            // the viewer's one POST form is its own sign-out (a POST with the CSRF token, so no link signs out)
            assertFalse(browser.has("form[method=post]:not(#sign-out-form)"), "no form that changes anything");
            assertTrue(browser.has("form#sign-out-form[method=post][action='/logout']"), "sign-out by POST");
            browser.screenshot("license-detail-viewer-no-actions");
            long version = issuer().getOk("/v1/licenses/" + id).path("version").asLong();

            // Posting anyway, with a valid CSRF token (the browser's own cookie): 403, nothing changes.
            long status = browser.forgedPost("/licenses/" + id + "/actions/suspend", Map.of(
                    "csrf-token", browser.cookie("csrf-token"), "version", Long.toString(version),
                    "idempotencyKey", UUID.randomUUID().toString(), "reason", "forged by a viewer"));
            assertEquals(403, status);
            browser.open(backOffice + "/licenses/" + id + "/actions/suspend");
            assertEquals("Status 403", browser.await("#problem-status").getText().strip());
            browser.screenshot("viewer-refused-403");
            assertEquals("ACTIVE", issuer().getOk("/v1/licenses/" + id).path("status").asText());
        }
    }

    @Test
    @Order(5)
    void aFormWithoutItsCsrfTokenIsRefused() {
        String id = in50Days;
        try (Chromium browser = signIn(DemoUser.OPERATOR, "/licenses/" + id + "/actions/suspend")) {
            browser.await("#confirm-form");
            long version = issuer().getOk("/v1/licenses/" + id).path("version").asLong();
            long status = browser.forgedPost("/licenses/" + id + "/actions/suspend", Map.of(
                    "version", Long.toString(version), "idempotencyKey", UUID.randomUUID().toString(),
                    "reason", "no token"));
            assertEquals(400, status, "the same POST without the CSRF token");
            // The page's own form with its token field removed, submitted by the user.
            browser.js("document.querySelector('#confirm-form input[name=\"csrf-token\"]').remove()");
            browser.find("#confirm-form textarea[name=reason]").sendKeys("no token in the form");
            browser.find("#confirm-form button[type=submit]").click();
            browser.await("body");
            assertFalse(browser.has("#done"), "not done");
            browser.screenshot("form-without-csrf-refused");
            assertEquals("ACTIVE", issuer().getOk("/v1/licenses/" + id).path("status").asText());
        }
    }

    @Test
    @Order(6)
    void aCustomerNamedScriptRendersAsText() {
        try (Chromium browser = signIn(DemoUser.ADMIN, "/customers")) {
            browser.await("#customers");
            List<String> names = browser.all("#customers a.customer-name").stream().map(WebElement::getText).toList();
            assertTrue(names.contains(SCRIPT_NAME), names.toString());
            assertTrue(browser.source().contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped in the HTML");
            assertNoAlert(browser);
            browser.screenshot("customers-script-name-as-text");
            browser.assertAccessible("customers");

            browser.open(backOffice + "/licenses/" + scriptLicense);
            assertEquals(SCRIPT_NAME, browser.await("#customer-name").getText().strip());
            assertNoAlert(browser);
            browser.screenshot("license-of-script-customer");

            browser.open(backOffice + "/customers/" + scriptCustomerId);
            browser.await("h1");
            assertNoAlert(browser);
            browser.assertAccessible("customer detail");

            for (String page : List.of("/audit", "/catalog", "/licenses")) {
                browser.open(backOffice + page);
                browser.await("main h1");
                browser.screenshot("page-" + page.substring(1));
                assertFalse(browser.has("#problem-status"), page + ": " + browser.text("main"));
                browser.assertAccessible(page);
            }
        }
    }

    @Test
    @Order(7)
    void eachExpiryWindowListsExactlyTheLicensesInsideItsBounds() {
        try (Chromium browser = signIn(DemoUser.FINANCE, "/licenses?customerId=" + windowsCustomer)) {
            browser.await("#license-results");
            assertEquals(WINDOW_LICENSES.keySet(), new java.util.TreeSet<>(listed(browser)),
                    "the customer's licenses, the expired one included");
            for (int window : List.of(7, 30, 60, 90)) {
                browser.open(backOffice + "/licenses?expiringWithin=" + window + "&customerId=" + windowsCustomer);
                browser.await("#license-results");
                // Inside: every "N-1h" with N <= window and every "N+1h" with N < window; never the expired one.
                List<String> expected = WINDOW_LICENSES.entrySet().stream().filter(e -> {
                    String where = e.getValue();
                    if (where.equals("expired")) {
                        return false;
                    }
                    int n = Integer.parseInt(where.substring(0, where.length() - 3));
                    return where.endsWith("-1h") ? n <= window : n < window;
                }).map(Map.Entry::getKey).sorted().toList();
                List<String> shown = listed(browser).stream().sorted().toList();
                assertEquals(expected.stream().map(WINDOW_LICENSES::get).toList(),
                        shown.stream().map(id -> WINDOW_LICENSES.getOrDefault(id, id)).toList(),
                        "within " + window + " days");
                assertEquals(expected, shown);
                if (window == 30) {
                    browser.screenshot("licenses-window-boundaries-30-days");
                }
            }
            assertTrue(Duration.between(windowsSeeded, Instant.now()).compareTo(MARGIN) < 0,
                    "the check ran within the margin of the seeded bounds");
        }
    }

    /**
     * Issue 19 through people's tools: the machine's agent writes a checkout request, the operator uploads it on the
     * license page and downloads the checkout file, the agent installs it and answers VALID with the validator
     * stopped, the agent's return file is pasted back on the license page, and the seat is free again: the page's
     * checkouts, machines and seat count agree with the issuer's API at each step.
     */
    @Test
    @Order(8)
    void operatorChecksOutAnAirGappedMachineInTheBrowserAndTakesItsReturnBack(@TempDir Path site) throws Exception {
        ApiClient issuer = issuer();
        String policy = issuer.postOk("/v1/policies", Map.of("productCode", DemoSeed.PRODUCT_CODE,
                "name", "Air-gapped, 1 seat", "durationDays", 365, "graceDays", 14, "maxActivations", 1,
                "maxCheckoutDays", 60, "entitlements", Map.of("limits", Map.of("cuda.device", 4)))).path("id").asText();
        JsonNode issued = issuer.postOk("/v1/licenses", Map.of("customerId", within10Days.customerId(),
                "policyId", policy));
        String id = issued.path("licenseId").asText();
        AirGappedMachine machine = new AirGappedMachine(site.resolve("dgx-b"),
                "k8s-" + UUID.randomUUID().toString().replace("-", ""), DemoSeed.PRODUCT_CODE,
                issued.path("licenseKey").asText(), system.signingKeys(LocalSystem.ISSUER).publicJwkSet());
        String fp = machine.fingerprint();
        Path request = machine.checkoutRequest("dgx-b-01");

        try (Chromium browser = signIn(DemoUser.OPERATOR, "/licenses/" + id)) {
            browser.await("#checkouts");
            assertEquals(Map.of(), checkoutStates(browser), "no checkout yet");
            assertEquals("0", seatsTaken(browser));
            browser.find("#new-checkout").click();
            browser.await("#checkout-form");
            browser.assertAccessible("new checkout");
            browser.find("#checkout-form input[name=requestFile]").sendKeys(request.toString());
            WebElement days = browser.find("#checkout-form input[name=durationDays]");
            days.clear();
            days.sendKeys("20");
            browser.find("#checkout-form textarea[name=reason]").sendKeys("air-gapped DGX B, ticket 4711");
            browser.screenshot("checkout-request-uploaded");
            browser.find("#checkout-form button[type=submit]").click();
            browser.await("#checkout-download");
            assertEquals(fp, browser.text("#checkout-fingerprint"));
            browser.screenshot("checkout-file-offered-once");
            String shown = browser.find("#checkout-file").getDomProperty("value").strip();
            browser.find("#checkout-download").click();
            String downloaded = browser.awaitDownload(".checkout").strip();
            assertEquals(shown, downloaded, "the download is the file the page shows");

            // The checkout holds the license's one seat: the page and the issuer's API say so.
            browser.open(backOffice + "/licenses/" + id);
            browser.await("#checkouts");
            assertEquals(Map.of(fp, "ACTIVE"), checkoutStates(browser));
            assertEquals(List.of(fp), machinesShown(browser));
            assertEquals("1", seatsTaken(browser));
            assertEquals(List.of(fp), machinesAtIssuer(id));
            browser.screenshot("license-with-active-checkout");

            // On the machine, the validator stopped: the agent installs the downloaded file and answers VALID.
            Path file = Files.writeString(site.resolve("from-vendor.checkout"), downloaded);
            system.validator().close();
            try {
                assertFalse(system.validator().isAlive());
                AgentRun installed = machine.install(file);
                assertEquals(0, installed.code(), installed.toString());
                assertEquals(id, machine.assertValidOffline().field("license"));
            } finally {
                system.ensureRunning();
            }

            // The machine is retired: its return file is pasted into the license page's return form.
            String returnFile = AirGappedMachine.read(machine.returnCheckout());
            browser.find("#checkouts a[data-return='" + fp + "']").click();
            browser.await("#return-form");
            browser.assertAccessible("return a checkout");
            assertEquals(fp, browser.find("#return-form input[name=fingerprint]").getDomProperty("value"));
            // The return file alone: with the fingerprint left in, a return that ignored the file would pass too.
            browser.find("#return-form input[name=fingerprint]").clear();
            browser.find("#return-form textarea[name=returnFile]").sendKeys(returnFile.strip());
            browser.screenshot("checkout-return-pasted");
            browser.find("#return-form button[type=submit]").click();
            browser.await("#checkouts");
            assertEquals(Map.of(fp, "RETURNED"), checkoutStates(browser));
            assertEquals(List.of(), machinesShown(browser));
            assertEquals("0", seatsTaken(browser));
            assertEquals(List.of(), machinesAtIssuer(id), "the issuer agrees: the seat is free");
            assertEquals("RETURNED", issuer.getOk("/v1/licenses/" + id + "/checkouts").get(0).path("state").asText());
            browser.screenshot("license-checkout-returned");
        }
    }

    /** The license page's checkouts: fingerprint to state. */
    private static Map<String, String> checkoutStates(Chromium browser) {
        Map<String, String> states = new java.util.TreeMap<>();
        for (WebElement state : browser.all("#checkouts tbody td.checkout-state")) {
            WebElement row = state.findElement(org.openqa.selenium.By.xpath("./.."));
            states.put(row.findElement(org.openqa.selenium.By.cssSelector("td:first-child")).getText().strip(),
                    state.getText().strip());
        }
        return states;
    }

    /** The fingerprints the license page lists as holding a seat ("Activated machines"). */
    private static List<String> machinesShown(Chromium browser) {
        return browser.all("#activations tbody td:first-child code").stream().map(e -> e.getText().strip()).toList();
    }

    /** The count before "of" in the license page's seats ("1 of 1"). */
    private static String seatsTaken(Chromium browser) {
        return browser.text("#license-seats").split(" ")[0];
    }

    private static List<String> machinesAtIssuer(String licenseId) {
        List<String> fingerprints = new java.util.ArrayList<>();
        issuer().getOk("/v1/licenses/" + licenseId).path("activationDetails")
                .forEach(m -> fingerprints.add(m.path("fingerprint").asText()));
        return fingerprints;
    }

    // --- helpers ---

    @Test
    @Order(9)
    void financeOpensNextQuarterFromTheDashboardAndTheChartsHoldTheirTablesNumbers() {
        try (Chromium browser = signIn(DemoUser.FINANCE, "/")) {
            browser.await("#status-counts");
            // one click from the dashboard
            browser.find("#dashboard-next-quarter").click();
            browser.await("#quarter-heading");
            assertTrue(browser.text("#quarter-heading").startsWith("Renewals Q"), browser.text("main"));
            assertTrue(browser.text("#quarter-span").endsWith("(UTC)"), browser.text("#quarter-span"));
            browser.screenshot("finance-next-quarter");
            browser.assertAccessible("finance next quarter");
            String total = browser.text("#quarter-total");
            browser.find("#quarter-csv").click();
            String csv = browser.awaitDownload(".csv");
            assertEquals(CSV_HEADER, csv.lines().findFirst().orElseThrow());
            assertEquals(Long.parseLong(total), csv.lines().count() - 1, "the CSV has the quarter's licenses");

            // the renewals chart renders (an SVG image) and its table holds the issuer's figures
            browser.open(backOffice + "/finance");
            WebElement chart = browser.await("#renewals-chart img");
            Object width = browser.js("return arguments[0].complete ? arguments[0].naturalWidth : 0", chart);
            assertTrue(((Number) width).intValue() > 0, "the chart image renders");
            browser.screenshot("finance-renewals-chart");
            browser.assertAccessible("finance with the renewals chart");
            java.time.YearMonth month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).plusMonths(1);
            String label = month.format(java.time.format.DateTimeFormatter.ofPattern("MMM uuuu",
                    java.util.Locale.ENGLISH));
            JsonNode stats = issuer().getOk("/v1/licenses/stats?status=ACTIVE&status=SUSPENDED&expiresAfter="
                    + month.atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant() + "&expiresBefore="
                    + month.plusMonths(1).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
            long expected = 0;
            for (JsonNode n : stats.path("byProduct")) {
                expected += n.asLong();
            }
            assertEquals(String.valueOf(expected), browser.text("#renewals-table td[data-month-total='" + label
                    + "']"));

            // a license's usage chart section renders with its tables (no usage reported here: says so)
            browser.open(backOffice + "/licenses/" + within10Days.licenseId());
            browser.await("#usage-h");
            assertTrue(browser.has("#usage-chains") && browser.has("#usage-reports"));
            browser.screenshot("license-usage-section");
        }
    }

    private static List<String> listed(Chromium browser) {
        return browser.all("#license-results tbody td:first-child a").stream().map(WebElement::getText).toList();
    }

    /** A fresh browser signed in as {@code user} through Keycloak's login page, then on {@code path}. */
    private static Chromium signIn(DemoUser user, String path) {
        return Chromium.signIn(backOffice, user, path);
    }

    private static void assertNoAlert(Chromium browser) {
        assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert(),
                "no script ran from a customer name");
    }

    private static ApiClient issuer() {
        return ApiClient.bearer(system.issuer().url(), system.backOfficeToken());
    }

    /** The demo policy locks licenses to 3 machines: validations come from this activated one. */
    private static final String MACHINE = "browser-host";

    private static void activate(String key) {
        ApiClient.Answer a = new ApiClient(system.validator().url(), null).post("/v1/activations", Map.of("key", key,
                "fingerprint", MACHINE, "productCode", DemoSeed.PRODUCT_CODE), null);
        assertEquals(201, a.status(), a.raw());
    }

    private static JsonNode validate(String key) {
        ApiClient.Answer a = new ApiClient(system.validator().url(), null).post("/v1/validate", Map.of("key", key,
                "productCode", DemoSeed.PRODUCT_CODE, "nonce", "browser-" + UUID.randomUUID(), "fingerprint", MACHINE),
                null);
        assertEquals(200, a.status(), a.raw());
        return a.body();
    }

    private static String unquote(String cell) {
        return cell.startsWith("\"") && cell.endsWith("\"") ? cell.substring(1, cell.length() - 1) : cell;
    }

    private static long ms(long sinceNanos) {
        return Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis();
    }
}
