package org.protoblock.p2p.nat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/** Gateway replies captured from miniupnpd 2.3.1 (see the README beside them) and hex helpers. */
final class Captured {
    private Captured() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Captured.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hex with spaces, newlines and {@code # comments} allowed, for writing expected bytes out field by field. */
    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("#[^\\n]*", "").replaceAll("\\s+", ""));
    }
}
