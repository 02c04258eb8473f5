package io.httpmon.common;

/**
 * Text from access logs is untrusted: before it reaches a terminal or a file, control characters (ESC, BEL,
 * CR, C1 controls, ...) and the backslash are written as visible escapes so they cannot move the cursor, change
 * colours, or forge output lines.
 */
public final class ControlChars {

    private ControlChars() {}

    /** Returns {@code text} with every control character escaped; unchanged (same instance) when there is none. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !needsEscape(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (needsEscape(c)) {
                        out.append(c <= 0xFF ? String.format("\\x%02X", (int) c) : String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20
                || c == 0x7F
                || (c >= 0x80 && c <= 0x9F)
                || c == '\\'
                // Bidi overrides and line/paragraph separators can also disguise what a terminal shows.
                || c == '\u2028'
                || c == '\u2029'
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
