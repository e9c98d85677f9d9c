package org.licensing.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.licensing.testsupport.idp.KeycloakServer.DemoUser;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver (both installed by
 * {@code e2e/install-browser.sh}); Selenium Manager is never asked for anything, since the driver and the binary are
 * given. One profile (fresh {@code --user-data-dir} under target/) per instance, so each signed-in user has its own
 * cookies. Screenshots go to {@code target/screenshots/NN-name.png}.
 */
final class Chromium implements AutoCloseable {

    static final Path TARGET = Path.of("target").toAbsolutePath();
    static final Path SCREENSHOTS = TARGET.resolve("screenshots");
    private static final AtomicInteger SHOTS = new AtomicInteger();
    /** Headless flags that work as root in a container (no sandbox, no GPU) and keep Chromium off the network. */
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
            "--disable-quic");

    private final ChromeDriver driver;
    private final Path profile;
    private final Path downloads;

    private Chromium(ChromeDriver driver, Path profile, Path downloads) {
        this.driver = driver;
        this.profile = profile;
        this.downloads = downloads;
    }

    /** A fresh headless Chromium; fails with what to install when the binary or the driver is missing. */
    static Chromium start(String name) {
        Path binary = Path.of(System.getProperty("browser.binary", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(binary) || !Files.isExecutable(chromedriver)) {
            fail(binary + " or " + chromedriver + " is missing: run e2e/install-browser.sh (as root: apt-get install "
                    + "-y chromium chromium-driver); the e2e build runs it before the integration tests");
        }
        try {
            Path profile = Files.createDirectories(TARGET.resolve("chromium")).resolve(name + "-" + System.nanoTime());
            Path downloads = Files.createDirectories(profile.resolveSibling(profile.getFileName() + "-downloads"));
            ChromeOptions options = new ChromeOptions();
            options.setBinary(binary.toFile());
            options.addArguments(FLAGS);
            options.addArguments("--user-data-dir=" + profile, "--window-size=1280,1000");
            Map<String, Object> prefs = new HashMap<>();
            prefs.put("download.default_directory", downloads.toString());
            prefs.put("download.prompt_for_download", false);
            options.setExperimentalOption("prefs", prefs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort()
                    .withLogFile(TARGET.resolve("chromedriver-" + name + ".log").toFile()).build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(60));
            return new Chromium(driver, profile, downloads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A fresh browser signed in as {@code user} through Keycloak's login page of the back office at {@code backOffice},
     * then on {@code path}.
     */
    static Chromium signIn(String backOffice, DemoUser user, String path) {
        Chromium browser = start(user.username());
        try {
            browser.open(backOffice + path);
            browser.keycloakLogin(user.username(), user.password(), "#user-name");
            if (!browser.currentUrl().equals(backOffice + path)) {
                browser.open(backOffice + path);
            }
            return browser;
        } catch (RuntimeException | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    boolean has(String css) {
        return !all(css).isEmpty();
    }

    String text(String css) {
        return find(css).getText().strip();
    }

    /** Scrolls the first element matching {@code css} to the top of the window (before a screenshot of it). */
    void scrollTo(String css) {
        js("arguments[0].scrollIntoView()", find(css));
    }

    /** Waits until an element matching {@code css} is on the page. */
    WebElement await(String css) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /** Fills Keycloak's own login form (it must be the current page) and waits to be back on {@code css}. */
    void keycloakLogin(String username, String password, String awaitCss) {
        await("#kc-form-login");
        find("#username").sendKeys(username);
        find("#password").sendKeys(password);
        find("#kc-login").click();
        await(awaitCss);
    }

    String source() {
        return driver.getPageSource();
    }

    String currentUrl() {
        return driver.getCurrentUrl();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    Object asyncJs(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /**
     * A POST the page did not offer, sent by the browser itself (its cookies, same origin, no redirect followed):
     * the HTTP status it got.
     */
    long forgedPost(String path, Map<String, String> form) {
        Object status = asyncJs("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {method: 'POST', body: new URLSearchParams(arguments[1]), redirect: 'manual',
                        credentials: 'same-origin'})
                    .then(r => done(r.status)).catch(e => done('failed: ' + e));
                """, path, form);
        if (!(status instanceof Number n)) {
            throw new AssertionError("the forged POST did not complete: " + status);
        }
        return n.longValue();
    }

    /** The value of a cookie of the current site (HttpOnly ones too: the driver sees them, page scripts do not). */
    String cookie(String name) {
        var cookie = driver.manage().getCookieNamed(name);
        if (cookie == null) {
            throw new AssertionError("no cookie " + name + " on " + currentUrl());
        }
        return cookie.getValue();
    }

    /** Saves the page as {@code target/screenshots/NN-name.png} and returns the file. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve("%02d-%s.png".formatted(SHOTS.incrementAndGet(), name));
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a finished download (no {@code .crdownload} left) and returns its content. */
    String awaitDownload(String suffix) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(downloads)) {
                List<Path> done = files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
                if (!done.isEmpty()) {
                    return Files.readString(done.get(0), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sleep(100);
        }
        throw new AssertionError("no *" + suffix + " downloaded into " + downloads + " within 30 s");
    }

    /**
     * Runs axe-core (the version pinned in e2e/package-lock.json) on the current page and fails with the list of
     * serious or critical violations, if any. Injected through the driver, so the page's CSP does not stop it.
     */
    void assertAccessible(String page) {
        Path axe = Path.of("node_modules", "axe-core", "axe.min.js").toAbsolutePath();
        if (!Files.isRegularFile(axe)) {
            fail(axe + " is missing: run e2e/install-browser.sh (npm ci of e2e/package-lock.json)");
        }
        try {
            js(Files.readString(axe, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Object result = asyncJs("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                    .then(r => done(JSON.stringify(r.violations)))
                    .catch(e => done('axe failed: ' + e));
                """);
        String json = String.valueOf(result);
        if (json.startsWith("axe failed")) {
            throw new AssertionError(page + ": " + json);
        }
        List<String> bad = new ArrayList<>();
        try {
            for (JsonNode violation : ApiClient.JSON.readTree(json)) {
                String impact = violation.path("impact").asText();
                if (impact.equals("serious") || impact.equals("critical")) {
                    List<String> targets = new ArrayList<>();
                    violation.path("nodes").forEach(n -> targets.add(n.path("target").toString()));
                    bad.add(impact + " " + violation.path("id").asText() + ": " + violation.path("help").asText()
                            + " at " + targets);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(List.of(), bad, "axe-core on " + page + " (" + currentUrl() + ")");
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
