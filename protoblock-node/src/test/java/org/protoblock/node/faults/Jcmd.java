package org.protoblock.node.faults;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code jcmd <pid> <command>} of this JDK, output to a file (or discarded), bounded to 2 minutes. */
final class Jcmd {
    private Jcmd() {
    }

    /** True if jcmd ran and exited with 0. */
    static boolean run(long pid, String command, Path output) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        ProcessBuilder builder = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true);
        builder.redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output.toFile()));
        Process p = builder.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }
}
