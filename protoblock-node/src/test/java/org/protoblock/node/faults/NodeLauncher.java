package org.protoblock.node.faults;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to start the node program in a process of its own: {@code java [opts] -jar protoblock-node.jar}
 * (what {@code ./protoblock} execs; the fault-suite and soak commands use a copy of the built jar so
 * that rebuilding the tree during a long run cannot change the program under test), or, in unit
 * tests, before the jar exists, its main class on the test classpath.
 *
 * @param javaAndOptions the java executable and its options
 * @param program        {@code -jar JAR} or {@code -cp CLASSPATH org.protoblock.node.Main}
 */
public record NodeLauncher(List<String> javaAndOptions, List<String> program) {
    /** What {@code ./protoblock} exports before it execs java (see the script for why). */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    public NodeLauncher {
        javaAndOptions = List.copyOf(javaAndOptions);
        program = List.copyOf(program);
    }

    /** The running JVM's java; {@code jvmOptions} split on spaces, as {@code ./protoblock} does with PROTOBLOCK_JAVA_OPTS. */
    public static NodeLauncher jar(Path jar, String jvmOptions) {
        return new NodeLauncher(javaWith(jvmOptions), List.of("-jar", jar.toString()));
    }

    /** The node's main class on this JVM's classpath (JUnit: the module's classes and dependencies). */
    public static NodeLauncher testClasspath(String jvmOptions) {
        return new NodeLauncher(javaWith(jvmOptions),
                List.of("-cp", System.getProperty("java.class.path"), "org.protoblock.node.Main"));
    }

    public List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(javaAndOptions);
        command.addAll(program);
        command.addAll(args);
        return command;
    }

    private static List<String> javaWith(String jvmOptions) {
        List<String> out = new ArrayList<>();
        out.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : jvmOptions.trim().split("\\s+")) {
            if (!option.isEmpty()) {
                out.add(option);
            }
        }
        return out;
    }
}
