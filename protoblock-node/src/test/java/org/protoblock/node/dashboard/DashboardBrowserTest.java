package org.protoblock.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.testing.LocalNet;

/**
 * The dashboard in a real headless browser (Debian's chromium, driven by Playwright): it shows
 * the head when loaded, then a block produced after it loaded, pushed over the WebSocket. Saves a
 * screenshot as target/dashboard.png (the CI artifact). Skipped where /usr/bin/chromium is missing
 * (CI installs it, see .ci/run).
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final double TIMEOUT_MS = 15_000;

    @TempDir
    Path dir;

    @Test
    void thePageShowsABlockProducedAfterItLoaded() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed");
        try (LocalNet net = new LocalNet(dir);
             Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                     .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                     .setExecutablePath(CHROMIUM).setHeadless(true)
                     .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--no-first-run")))) {
            NodeApp node = net.start();
            NodeApp peer = net.start();
            peer.p2p().dial(node.p2pAddress()).get(10, TimeUnit.SECONDS);
            node.chain().produceNow().get(10, TimeUnit.SECONDS);
            int loadedAt = node.chain().head().num();
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1280, 900));

            page.navigate(node.rpcUrl().toString());
            page.waitForFunction("n => document.getElementById('height').textContent === String(n)", loadedAt,
                    new Page.WaitForFunctionOptions().setTimeout(TIMEOUT_MS));
            page.waitForSelector("#status.live", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
            // subscribed once the recent blocks list is there (start() fills it before subscribing) and peers polled
            page.waitForSelector("#peercount:not(:empty)", new Page.WaitForSelectorOptions()
                    .setState(WaitForSelectorState.ATTACHED).setTimeout(TIMEOUT_MS));
            node.chain().produceNow().get(10, TimeUnit.SECONDS);
            String newHash = node.chain().head().id().toHex();

            page.waitForSelector("#blockrows td[title='" + newHash + "']", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));

            assertThat(page.textContent("#height")).isEqualTo(String.valueOf(node.chain().head().num()));
            assertThat(page.textContent("#blockrows")).contains(newHash);
            page.waitForSelector("#peerrows td.in", new Page.WaitForSelectorOptions().setTimeout(TIMEOUT_MS));
            assertThat(page.textContent("#peerrows")).contains(peer.p2p().host().nodeId().hex().substring(0, 16));
            Path shot = Path.of("target", "dashboard.png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
            assertThat(shot).isNotEmptyFile();
        }
    }
}
