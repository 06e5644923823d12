package org.protoblock.node.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/** A static page the RPC port serves on GET, e.g. the dashboard; everything it needs is in its body. */
public record HttpPage(String contentType, byte[] body) {
    public HttpPage {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /** A page from the class path, read once. */
    public static HttpPage resource(Class<?> anchor, String name, String contentType) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new HttpPage(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
