package org.protoblock.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No import cycle between the packages of any module (issue 9): a package may use the packages
 * below it, never one that uses it back. Reads the main sources of each module from the project
 * root, which is the parent of this module's directory (the tests' working directory).
 */
class PackageCycleTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"protoblock-chain", "protoblock-p2p", "protoblock-node"})
    void packagesOfTheModuleFormNoCycle(String module) {
        Path sources = Path.of("..", module, "src", "main", "java");
        assertThat(sources).as("main sources of %s (run from a module directory)", module).isDirectory();
        PackageGraph graph = PackageGraph.scan(sources);
        // packages that use each other, or the scan read nothing and would pass vacuously
        assertThat(graph.packages()).as("packages of %s", module).hasSizeGreaterThan(3);
        assertThat(graph.edges().values()).as("uses between packages of %s", module)
                .anySatisfy(targets -> assertThat(targets).isNotEmpty());

        List<List<String>> cycles = graph.cycles();

        assertThat(cycles)
                .as(() -> module + " has package cycles:\n  "
                        + cycles.stream().map(graph::describe).collect(Collectors.joining("\n  ")))
                .isEmpty();
    }
}
