package org.protoblock.node.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevnetRunnerTest {
    @TempDir
    Path dir;

    @Test
    void threeNodesUnderLoadAgreeAndIncludeEveryAcceptedTransaction() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DevnetRunner runner = new DevnetRunner(new DevnetRunner.Options(3, Duration.ofSeconds(4), 25, dir,
                Duration.ofSeconds(30), false), new PrintStream(console, true, StandardCharsets.UTF_8));
        DevnetSummary summary = runner.run();
        assertThat(summary.ok()).as(summary.render()).isTrue();
        assertThat(summary.headsAgree()).isTrue();
        assertThat(summary.accepted()).isPositive().isEqualTo(summary.included());
        assertThat(summary.submitted()).isEqualTo(summary.accepted() + summary.rejected());
        assertThat(summary.blocks()).isPositive();
        assertThat(summary.nodes()).hasSize(3).allMatch(n -> n.peers() >= 1);
        assertThat(summary.gossipTxBodies()).isPositive();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("node 2", "height");

        JsonNode json = new ObjectMapper().valueToTree(summary);
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("gossipTxDuplicates").isNumber()).isTrue();

        // The same directory again: the network is reused and continues from its stored chain.
        DevnetSummary again = new DevnetRunner(new DevnetRunner.Options(1, Duration.ofSeconds(1), 5, dir,
                Duration.ofSeconds(30), false), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();
        assertThat(again.network()).isEqualTo(summary.network());
        assertThat(again.nodes().get(0).height()).isGreaterThanOrEqualTo(summary.nodes().get(0).height());
    }

    @Test
    void progressBar() {
        assertThat(ConsoleView.bar(0.5, "behind")).isEqualTo("[##########----------]  50% behind");
        assertThat(ConsoleView.bar(2, "x")).startsWith("[####################] 100%");
    }
}
