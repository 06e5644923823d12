package org.protoblock.p2p.link;

/**
 * Makes text a peer chose (disconnect details, agent names, error messages) safe to log and show:
 * control and invisible format characters (newlines, ANSI escapes, bidi overrides, line separators)
 * become {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}, so a peer cannot forge log
 * lines or hide text. Applied where peer text enters: {@link LinkClosed}, the Hello codec, error
 * responses. Stateless.
 */
public final class PeerText {
    private PeerText() {
    }

    public static String printable(String text) {
        if (text.codePoints().noneMatch(PeerText::needsEscape)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            if (!needsEscape(c)) {
                out.appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return out.toString();
    }

    private static boolean needsEscape(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED
                || type == Character.SURROGATE;
    }
}
