package io.feedhandler.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven by Selenium through Debian's
 * chromedriver (never a downloaded one), loads the page from a real gateway on a real feed, sees
 * prices change, and after the gateway is restarted reconnects by itself and resumes from its last
 * sequence with no gap and no duplicate, by the page's own sequence check ({@code window.feedDashboard}).
 * {@code .ci/run} installs the two packages when they are missing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DashboardIT
{
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    private static final String CHANNEL = "aeron:udp?endpoint=239.255.91.31:44150|interface=127.0.0.1";
    private static final String REPLAY_CHANNEL = "aeron:udp?endpoint=127.0.0.1:44250";

    @Test
    void thePageShowsPricesChangingAndResumesWithNoGapAfterTheGatewayRestarts() throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
            "SKIPPED: Debian's chromium and chromium-driver are not installed " +
            "(apt-get install chromium chromium-driver; .ci/run does it)");
        final int port;
        try (ServerSocket free = new ServerSocket(0))
        {
            port = free.getLocalPort();
        }
        final String journal = dir.resolve("journal").toString();
        final String[] gatewayArgs = {"gateway", "--port", String.valueOf(port), "--channel", CHANNEL,
            "--replay-channel", REPLAY_CHANNEL, "--journal", journal, "--history", "1024"};
        FeedProcess gateway = null;
        ChromeDriver browser = null;
        try (FeedProcess publisher = FeedScript.start("publish", "--duration", "200s", "--rate", "500",
            "--instruments", "20", "--journal", journal, "--connect-timeout", "0s", "--channel", CHANNEL,
            "--replay-channel", REPLAY_CHANNEL))
        {
            GatewayIT.awaitJournal(dir.resolve("journal"));
            gateway = FeedScript.start(gatewayArgs);
            final URI base = URI.create("http://127.0.0.1:" + port + "/");
            awaitHealthy(base, gateway);

            browser = browser();
            browser.get(base.toString());
            final ChromeDriver page = browser;
            await(() -> number(page, "received") > 50 && "live".equals(text(page, "state")), 60, page);
            assertTrue(number(page, "instruments") >= 20, "every instrument has a row");

            final String firstBid = page.findElement(By.cssSelector("tr[data-symbol='AAPL'] td[data-field='bid']"))
                .getText();
            assertTrue(firstBid.matches("\\d+\\.\\d{2,8}"), "a decimal price: " + firstBid);
            final String aaplSequence = page.findElement(
                By.cssSelector("tr[data-symbol='AAPL'] td[data-field='sequence']")).getText();
            await(() -> !page.findElement(By.cssSelector("tr[data-symbol='AAPL'] td[data-field='sequence']"))
                .getText().equals(aaplSequence), 30, page);
            screenshot(page);

            // Restart the gateway: the page is told, backs off, reconnects and resumes from its last sequence.
            final long beforeRestart = number(page, "lastSequence");
            gateway.signal("TERM"); // not stop(): Process.destroy() closes our end of its stdout
            assertEquals(143, gateway.awaitExit(60), gateway.stderr());
            await(() -> !"live".equals(text(page, "state")), 30, page);
            final long whileDown = number(page, "lastSequence");
            gateway.close();
            Thread.sleep(1_000); // the feed goes on meanwhile: the page must get this second back
            gateway = FeedScript.start(gatewayArgs);
            awaitHealthy(base, gateway);
            await(() -> "live".equals(text(page, "state")) && number(page, "lastSequence") > whileDown + 1_000, 60, page);

            assertTrue(whileDown >= beforeRestart);
            assertTrue(number(page, "reconnects") >= 1, "it reconnected by itself");
            assertEquals(0, number(page, "gaps"), "no gap across the restart");
            assertEquals(0, number(page, "duplicates"), "no duplicate across the restart");
            assertEquals(0, number(page, "resets"), "resumed, not reset");
            assertNotEquals("", page.findElement(By.id("last-sequence")).getText());
            publisher.stop();
            publisher.awaitExit(60);
        }
        finally
        {
            if (browser != null)
            {
                browser.quit();
            }
            if (gateway != null)
            {
                gateway.close();
            }
        }
    }

    private static ChromeDriver browser()
    {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1100,900", "--disable-extensions", "--no-first-run");
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        return new ChromeDriver(service, options);
    }

    private static void awaitHealthy(final URI base, final FeedProcess gateway) throws Exception
    {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true)
        {
            try
            {
                if (http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200)
                {
                    return;
                }
            }
            catch (final java.io.IOException ex)
            {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, "the gateway never became ready:\n" + gateway.stderr());
            Thread.sleep(100);
        }
    }

    private static long number(final ChromeDriver page, final String field)
    {
        final Object value = ((JavascriptExecutor)page).executeScript(
            "return window.feedDashboard ? window.feedDashboard['" + field + "'] : -1;");
        return value instanceof Number ? ((Number)value).longValue() : -1;
    }

    private static String text(final ChromeDriver page, final String field)
    {
        final Object value = ((JavascriptExecutor)page).executeScript(
            "return window.feedDashboard ? String(window.feedDashboard['" + field + "']) : '';");
        return String.valueOf(value);
    }

    private static void await(final BooleanSupplier condition, final long seconds, final ChromeDriver page)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, () -> "waited " + seconds + "s; the page says " +
                ((JavascriptExecutor)page).executeScript("return JSON.stringify(window.feedDashboard);"));
            Thread.sleep(100);
        }
    }

    /** For the README: what the page looks like, left in target/. */
    private static void screenshot(final ChromeDriver page) throws Exception
    {
        final File shot = page.getScreenshotAs(OutputType.FILE);
        final Path target = Path.of(System.getProperty("feed.repo.root", ".."), "feed-cli", "target", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
