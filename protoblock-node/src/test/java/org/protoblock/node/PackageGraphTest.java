package org.protoblock.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cycle finder and the source scan behind {@link PackageCycleTest}. */
class PackageGraphTest {
    @TempDir
    Path dir;

    @Test
    void aLayeredGraphHasNoCycle() {
        PackageGraph graph = PackageGraph.of(Map.of(
                "service", Set.of("tree", "types"),
                "tree", Set.of("store", "types"),
                "store", Set.of("types"),
                "types", Set.of()));

        assertThat(graph.cycles()).isEmpty();
    }

    @Test
    void aTwoPackageCycleIsFoundOnce() {
        PackageGraph graph = PackageGraph.of(Map.of(
                "peer", Set.of("discovery", "types"),
                "discovery", Set.of("peer"),
                "types", Set.of()));

        assertThat(graph.cycles()).containsExactly(List.of("discovery", "peer"));
        assertThat(graph.describe(List.of("discovery", "peer")))
                .startsWith("discovery -> peer -> discovery");
    }

    @Test
    void everyPackageOfALongerCycleAppearsAndTheShortestPathIsReported() {
        // a -> b -> c -> a, plus a shortcut c -> b: cycles a-b-c and b-c
        PackageGraph graph = PackageGraph.of(Map.of(
                "a", Set.of("b"),
                "b", Set.of("c"),
                "c", Set.of("a", "b"),
                "d", Set.of("a")));

        assertThat(graph.cycles()).containsExactlyInAnyOrder(List.of("a", "b", "c"), List.of("b", "c"));
    }

    @Test
    void theScanReadsImportsStaticImportsWildcardsAndQualifiedNamesButNotCommentsOrStrings() throws Exception {
        write("a/A.java", """
                package org.protoblock.x.a;

                import static org.protoblock.x.b.B.CONSTANT;

                /** Mentions {@link org.protoblock.x.d.D} only in a comment. */
                class A {
                    String s = "org.protoblock.x.d.D";
                }
                """);
        write("b/B.java", """
                package org.protoblock.x.b;

                import org.protoblock.x.c.*;
                import org.protoblock.other.Library;

                class B {
                    static final int CONSTANT = 1;
                }
                """);
        write("c/C.java", """
                package org.protoblock.x.c;

                class C {
                    Object back = new org.protoblock.x.a.A();
                }
                """);
        write("d/D.java", "package org.protoblock.x.d;\n\nclass D {\n}\n");

        PackageGraph graph = PackageGraph.scan(dir);

        assertThat(graph.edges()).isEqualTo(Map.of(
                "org.protoblock.x.a", Map.of("org.protoblock.x.b", "A"),
                "org.protoblock.x.b", Map.of("org.protoblock.x.c", "B"),
                "org.protoblock.x.c", Map.of("org.protoblock.x.a", "C"),
                "org.protoblock.x.d", Map.of()));
        assertThat(graph.cycles()).hasSize(1);
        assertThat(graph.describe(graph.cycles().get(0))).isEqualTo(
                "x.a -> x.b -> x.c -> x.a  (x.a.A uses x.b; x.b.B uses x.c; x.c.C uses x.a)");
    }

    private void write(String relative, String text) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
