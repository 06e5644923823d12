package org.protoblock.node;

import org.protoblock.node.cli.ProtoblockCommand;

/** {@code protoblock} entry point: exit 0 ok, 1 runtime failure, 2 usage error. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(ProtoblockCommand.commandLine().execute(args));
    }
}
