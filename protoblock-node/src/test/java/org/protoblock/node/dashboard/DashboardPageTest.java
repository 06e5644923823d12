package org.protoblock.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.testing.Http;
import org.protoblock.node.testing.LocalNet;

class DashboardPageTest {
    @TempDir
    Path dir;

    @Test
    void thePageNeedsNothingFromElsewhere() {
        String html = new String(Dashboard.page().body(), StandardCharsets.UTF_8);

        assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("@import");
    }

    @Test
    void theNodeServesItAtTheRootOfTheRpcPort() throws Exception {
        try (LocalNet net = new LocalNet(dir)) {
            NodeApp node = net.start();

            HttpResponse<String> response = Http.get(node.rpcUrl(), Map.of());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(response.body()).contains("<title>Protoblock node</title>");
        }
    }
}
