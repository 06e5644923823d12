package org.protoblock.node.cli;

/** The program's exit codes (picocli's usage code is 2 as well). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
