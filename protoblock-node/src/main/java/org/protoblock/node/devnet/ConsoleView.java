package org.protoblock.node.devnet;

import java.io.PrintStream;
import java.util.List;
import org.protoblock.node.app.NodeApp;
import org.protoblock.p2p.sync.SyncProgress;

/**
 * The devnet's live view, redrawn about once a second: per node its height, peers, mempool,
 * included tx/s and, while it is behind, a progress bar (the sync manager's progress while it
 * syncs, else the node's head against the best head in the devnet, e.g. while gossip catches up). On a terminal the table is redrawn in place (ANSI);
 * otherwise one summary line is printed every {@value #PLAIN_EVERY} renders.
 */
final class ConsoleView {
    private static final int PLAIN_EVERY = 5;
    private static final int BAR = 20;

    private final PrintStream out;
    private final boolean ansi;
    private final List<NodeApp> nodes;
    private final LoadGenerator load;
    private final long[] lastIncluded;
    private long lastNanos = System.nanoTime();
    private int renders;
    private int linesDrawn;

    ConsoleView(PrintStream out, boolean ansi, List<NodeApp> nodes, LoadGenerator load) {
        this.out = out;
        this.ansi = ansi;
        this.nodes = nodes;
        this.load = load;
        this.lastIncluded = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            lastIncluded[i] = nodes.get(i).stats().txsIncluded.sum();
        }
    }

    void render(String phase, long elapsedSeconds, long totalSeconds) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        lastNanos = now;
        long best = nodes.stream().mapToLong(n -> n.chain().head().num()).max().orElse(0);
        StringBuilder frame = new StringBuilder();
        frame.append(String.format("protoblock devnet  %-8s %3d/%ds  submitted %d  accepted %d  rejected %d%n", phase,
                elapsedSeconds, totalSeconds, load.submitted(), load.accepted(), load.rejected()));
        for (int i = 0; i < nodes.size(); i++) {
            NodeApp node = nodes.get(i);
            long included = node.stats().txsIncluded.sum();
            double txPerSecond = (included - lastIncluded[i]) / seconds;
            lastIncluded[i] = included;
            int height = node.chain().head().num();
            SyncProgress sync = node.p2p().sync().progress();
            String progress = sync.state() == SyncProgress.State.SYNCING
                    ? bar(sync.percent() / 100, String.format("sync #%d/%d", height, sync.targetNum()))
                    : height + 1 < best ? bar((double) height / best, "behind") : "";
            frame.append(String.format("  node %d%s height %6d  peers %2d  mempool %5d  tx/s %6.1f  %s%n", i,
                    node.chain().isProducer() ? "*" : " ", height, node.p2p().host().sessionCount(),
                    node.chain().mempoolSize(), txPerSecond, progress));
        }
        renders++;
        if (ansi) {
            if (linesDrawn > 0) {
                out.print("\033[" + linesDrawn + "F"); // back to the first line of the last frame
            }
            out.print(frame.toString().replace("\n", "\033[K\n"));
            linesDrawn = nodes.size() + 1;
        } else if (renders % PLAIN_EVERY == 1) {
            out.print(frame);
        }
        out.flush();
    }

    static String bar(double share, String label) {
        double p = Math.max(0, Math.min(1, share));
        int filled = (int) Math.round(p * BAR);
        return "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + String.format("] %3.0f%% %s", 100 * p, label);
    }
}
