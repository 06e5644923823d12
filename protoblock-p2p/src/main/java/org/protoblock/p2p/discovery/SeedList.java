package org.protoblock.p2p.discovery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.protoblock.p2p.transport.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in seed addresses of a network: resource {@code seeds-<networkId>.txt} beside this
 * class, one {@link PeerAddress} per line, {@code #} comments. Devnets have none; mainnet's list is
 * empty for now.
 */
public final class SeedList {
    private static final Logger log = LoggerFactory.getLogger(SeedList.class);
    private static final int MAX_SEEDS = 256;

    private SeedList() {
    }

    public static List<PeerAddress> builtIn(String networkId) {
        if (!networkId.matches("[A-Za-z0-9_.-]{1,64}")) {
            return List.of();
        }
        try (InputStream in = SeedList.class.getResourceAsStream("seeds-" + networkId + ".txt")) {
            if (in == null) {
                return List.of();
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            log.warn("Cannot read the built-in seeds of {}: {}", networkId, e.getMessage());
            return List.of();
        }
    }

    static List<PeerAddress> parse(List<String> lines) {
        List<PeerAddress> out = new ArrayList<>();
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || out.size() >= MAX_SEEDS) {
                continue;
            }
            Optional<PeerAddress> a = PeerAddress.parse(t);
            a.ifPresentOrElse(out::add, () -> log.warn("Ignoring malformed built-in seed '{}'", t));
        }
        return out;
    }
}
