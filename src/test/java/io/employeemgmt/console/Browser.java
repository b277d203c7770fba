package io.employeemgmt.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's headless Chromium driven by its chromedriver (both from apt; Selenium downloads nothing), plus the
 * helpers the console's browser tests share: sign-in, waiting, screenshots to {@code target/console-screenshots}
 * and the axe-core accessibility check. Without Chromium the tests are skipped with a message, except in CI
 * ({@code CI=true}), where a missing browser fails.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("console.e2e.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("console.e2e.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final ChromeDriver driver;
    private final String base;
    private final WebDriverWait wait;

    private Browser(ChromeDriver driver, String base) {
        this.driver = driver;
        this.base = base;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    /** Starts the browser, or skips (locally) / fails (CI) when Chromium or chromedriver is missing. */
    static Browser start(int port) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "No browser for the console's end-to-end tests: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " are needed (apt-get install -y chromium chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; in CI they must be installed");
            }
            Assumptions.abort(message + "; skipped outside CI");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,800",
                "--lang=en-US",
                "--disable-extensions",
                "--no-first-run");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        Browser browser = new Browser(new ChromeDriver(service, options), "http://localhost:" + port);
        browser.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browser.viewport(1280, 800);
        return browser;
    }

    /** Sizes the window so that the page itself (the viewport, what the screenshots show) is width x height. */
    void viewport(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        if (driver.getCurrentUrl().startsWith("data:") || driver.getCurrentUrl().startsWith("about:")) {
            open("/console/login");
        }
        Long innerWidth = (Long) driver.executeScript("return window.innerWidth;");
        Long innerHeight = (Long) driver.executeScript("return window.innerHeight;");
        driver.manage()
                .window()
                .setSize(new Dimension(
                        width + (width - innerWidth.intValue()), height + (height - innerHeight.intValue())));
    }

    void open(String path) {
        driver.get(base + path);
    }

    String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    /** Signs in on the sign-in page the browser is on (keeping where it returns to), or opens one. */
    void signIn(String username, String password) {
        if (!driver.getCurrentUrl().contains("/console/login") || present(By.id("signin-error"))) {
            open("/console/login");
        }
        fill(By.id("username"), username);
        fill(By.id("password"), password);
        driver.findElement(By.cssSelector("main form button[type=submit]")).click();
        wait.until(d -> !d.getCurrentUrl().contains("/console/login")
                || !d.findElements(By.id("signin-error")).isEmpty());
    }

    void signOut() {
        driver.findElement(By.cssSelector("header form button")).click();
        wait.until(ExpectedConditions.urlContains("/console/login"));
    }

    void fill(By field, String value) {
        WebElement input = driver.findElement(field);
        input.clear();
        input.sendKeys(value);
    }

    void select(By field, String value) {
        new org.openqa.selenium.support.ui.Select(driver.findElement(field)).selectByValue(value);
    }

    /** Types into a date input, which Chromium edits field by field in the locale's order. */
    void date(By field, String isoDate) {
        ((JavascriptExecutor) driver)
                .executeScript("arguments[0].value = arguments[1];", driver.findElement(field), isoDate);
    }

    void submit() {
        driver.findElement(By.cssSelector("main form button[type=submit]")).click();
    }

    WebElement await(By element) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(element));
    }

    void awaitText(By element, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(element, text));
    }

    String text(By element) {
        return driver.findElement(element).getText();
    }

    boolean present(By element) {
        return !driver.findElements(element).isEmpty();
    }

    String source() {
        return driver.getPageSource();
    }

    /** The full page at 1280x800 as {@code target/console-screenshots/<name>.png}. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs axe-core on the current page; returns the serious and critical violations, described. */
    List<String> seriousAccessibilityViolations() {
        ((JavascriptExecutor) driver).executeScript(axeSource());
        Object result = ((JavascriptExecutor) driver)
                .executeAsyncScript("var done = arguments[arguments.length - 1];"
                        + "axe.run(document, {resultTypes: ['violations']})"
                        + ".then(function (r) { done(JSON.stringify(r.violations)); })"
                        + ".catch(function (e) { done(JSON.stringify({error: String(e)})); });");
        JsonNode violations = JSON.readTree(String.valueOf(result));
        if (violations.isObject()) {
            fail("axe-core failed: " + violations);
        }
        List<String> serious = new ArrayList<>();
        for (JsonNode violation : violations) {
            String impact = violation.path("impact").asString();
            if (impact.equals("serious") || impact.equals("critical")) {
                List<String> targets = new ArrayList<>();
                violation
                        .path("nodes")
                        .forEach(node -> targets.add(node.path("target").toString()));
                serious.add(impact + " " + violation.path("id").asString() + ": "
                        + violation.path("help").asString() + " at " + targets);
            }
        }
        return serious;
    }

    void assertAccessible(String page) {
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        assertThat(seriousAccessibilityViolations()).as("axe-core on " + page).isEmpty();
    }

    /** A same-origin GET from the page (the session cookie goes along), as text. */
    String fetch(String path) {
        Object text = ((JavascriptExecutor) driver)
                .executeAsyncScript(
                        "var done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0], {credentials: 'same-origin'}).then(function (r) { return r.text(); })"
                                + ".then(done).catch(function (e) { done('ERROR ' + e); });",
                        path);
        return String.valueOf(text);
    }

    Map<String, Object> cookies() {
        Map<String, Object> cookies = new java.util.LinkedHashMap<>();
        driver.manage().getCookies().forEach(cookie -> cookies.put(cookie.getName(), cookie));
        return cookies;
    }

    private static String axe;

    private static synchronized String axeSource() {
        if (axe == null) {
            try (InputStream in = Browser.class.getClassLoader().getResourceAsStream("axe.min.js")) {
                assertThat(in)
                        .as("axe.min.js on the test classpath (com.deque.html.axe-core:selenium)")
                        .isNotNull();
                axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return axe;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
