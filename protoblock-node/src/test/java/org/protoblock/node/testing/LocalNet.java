package org.protoblock.node.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.app.NodeSpec;
import org.protoblock.node.devnet.DevnetFiles;

/**
 * Real nodes ({@link NodeApp}: RocksDB, TCP on loopback, RPC) of one fresh private network in a
 * temp directory; node 0 produces. Closes them all.
 */
public final class LocalNet implements AutoCloseable {
    private final Path dir;
    private final DevnetFiles.Devnet devnet;
    private final List<NodeApp> nodes = new ArrayList<>();

    public LocalNet(Path dir) throws Exception {
        this.dir = dir;
        this.devnet = DevnetFiles.create(dir.resolve("net"), "test", 1, Clock.systemUTC());
    }

    public DevnetFiles.Devnet devnet() {
        return devnet;
    }

    public Path genesisFile() {
        return DevnetFiles.genesisFile(dir.resolve("net"));
    }

    public Path producerKeyFile() {
        return DevnetFiles.producerKeyFile(dir.resolve("net"), 1);
    }

    public NodeApp start(UnaryOperator<NodeSpec> customize) throws Exception {
        int index = nodes.size();
        NodeSpec spec = NodeSpec.local(devnet.network(), dir.resolve("node-" + index));
        if (index == 0) {
            spec = spec.withProducer(devnet.producers().get(0));
        }
        NodeApp node = NodeApp.start(customize.apply(spec));
        nodes.add(node);
        return node;
    }

    public NodeApp start() throws Exception {
        return start(UnaryOperator.identity());
    }

    public NodeApp node(int i) {
        return nodes.get(i);
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }
}
