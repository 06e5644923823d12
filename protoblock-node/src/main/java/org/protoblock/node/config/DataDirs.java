package org.protoblock.node.config;

import java.nio.file.Path;
import java.util.Map;

/** Default locations under the user's home: {@code ~/.protoblock/<network>} and {@code ~/.protoblock/wallet}. */
public final class DataDirs {
    private DataDirs() {
    }

    /** $HOME when set (so tests and containers can move it), else the JVM's user.home. */
    public static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    public static Path protoblockHome(Map<String, String> env) {
        return home(env).resolve(".protoblock");
    }

    public static Path defaultDataDir(Map<String, String> env, String networkId) {
        return protoblockHome(env).resolve(networkId);
    }

    public static Path defaultWallet(Map<String, String> env) {
        return protoblockHome(env).resolve("wallet");
    }
}
