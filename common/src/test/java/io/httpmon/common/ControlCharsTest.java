package io.httpmon.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ControlCharsTest {

    @Test
    void plainTextIsUnchanged() {
        String text = "GET /pages/create?x=1 HTTP/1.1 – ünïcode";
        assertSame(text, ControlChars.escape(text));
    }

    @Test
    void terminalEscapeSequencesBecomeVisible() {
        assertEquals("/\\x1B[2J\\x1B]0;owned\\x07", ControlChars.escape("/\u001b[2J\u001b]0;owned\u0007"));
    }

    @Test
    void lineBreaksCannotForgeOutputLines() {
        assertEquals("a\\r\\nHigh traffic alert recovered", ControlChars.escape("a\r\nHigh traffic alert recovered"));
    }

    @Test
    void backslashIsEscapedSoEscapesAreUnambiguous() {
        assertEquals("\\\\x1B", ControlChars.escape("\\x1B"));
    }

    @Test
    void c1ControlsDelAndBidiOverridesAreEscaped() {
        assertEquals("\\x9B\\x7F\\u202E", ControlChars.escape("\u009b\u007f\u202e"));
    }
}
