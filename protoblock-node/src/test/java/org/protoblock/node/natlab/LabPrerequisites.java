package org.protoblock.node.natlab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the NAT lab needs from the host: root (namespaces, nftables) and a few Debian tools.
 * Missing on a developer box: the lab tests are skipped with what to install. Missing in CI
 * ({@code CI=true}, set by {@code .ci/run}, which installs them): the tests fail, so a CI run never
 * passes with the lab skipped.
 */
final class LabPrerequisites {
    /** Tool → the Debian package that has it. */
    static final Map<String, String> LAB_TOOLS = tools("ip", "iproute2", "nft", "nftables", "miniupnpd", "miniupnpd-nftables",
            "stund", "stun-server", "curl", "curl", "ss", "iproute2");

    private LabPrerequisites() {
    }

    /** Skips (or in CI fails) the calling test unless the lab and {@code extraTools} (tool, package pairs) can run. */
    static void require(String... extraTools) {
        Map<String, String> needed = new LinkedHashMap<>(LAB_TOOLS);
        needed.putAll(tools(extraTools));
        List<String> problems = new ArrayList<>();
        if (!isRoot()) {
            problems.add("they need root (network namespaces, nftables)");
        }
        List<String> packages = needed.entrySet().stream().filter(e -> !onPath(e.getKey())).map(Map.Entry::getValue)
                .distinct().toList();
        if (!packages.isEmpty()) {
            problems.add("install: apt-get install --no-install-recommends " + String.join(" ", packages));
        }
        String why = "NAT lab tests: " + String.join("; ", problems);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            org.assertj.core.api.Assertions.assertThat(problems).as(why).isEmpty();
        }
        assumeTrue(problems.isEmpty(), why);
    }

    private static Map<String, String> tools(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Pattern.compile(":").splitAsStream(path).filter(d -> !d.isEmpty())
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
        } catch (IOException e) {
            return false;
        }
    }
}
