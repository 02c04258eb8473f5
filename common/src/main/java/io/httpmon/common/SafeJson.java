package io.httpmon.common;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * JSON for terminals and files: besides what JSON itself escapes (control characters below 0x20), writes DEL, the
 * C1 controls and the Unicode bidi and line-separator characters as {@code \\uXXXX}, so text from the access log
 * cannot move the cursor, recolour the terminal or disguise a line. Other Unicode stays readable.
 */
public final class SafeJson {

    private static final class TerminalSafeEscapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        TerminalSafeEscapes() {
            ascii[0x7F] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            boolean unsafe = (ch >= 0x80 && ch <= 0x9F)
                    || ch == 0x2028
                    || ch == 0x2029
                    || (ch >= 0x202A && ch <= 0x202E)
                    || (ch >= 0x2066 && ch <= 0x2069);
            return unsafe ? new SerializedString(String.format("\\u%04X", ch)) : null;
        }
    }

    /** The escapes, for a {@code JsonGenerator} of one's own ({@code setCharacterEscapes}). */
    public static final CharacterEscapes ESCAPES = new TerminalSafeEscapes();

    public static final ObjectWriter WRITER = Json.MAPPER.writer().with(ESCAPES);

    private SafeJson() {}
}
