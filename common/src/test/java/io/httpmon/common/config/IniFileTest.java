package io.httpmon.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.UsageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IniFileTest {

    private static final Path FILE = Path.of("my.cfg");

    @Test
    void readsTheOriginalConfigWithLinesCaseInsensitiveKeysAndComments() {
        IniFile ini = IniFile.parse(FILE, """
                # a comment
                [Stats]
                Interval = 10

                ; another comment
                [Alerts]
                alert_1 = 30, 120
                alert_2: 100, 20   # inline comment
                [Output]
                # file_name = output_filename.txt
                displayer = stdout
                """);
        assertEquals(List.of("Stats", "Alerts", "Output"), ini.sections());
        assertEquals(List.of(new IniFile.Entry("Stats", "interval", "10", 3)), ini.entries("Stats"));
        assertEquals(
                List.of(
                        new IniFile.Entry("Alerts", "alert_1", "30, 120", 7),
                        new IniFile.Entry("Alerts", "alert_2", "100, 20", 8)),
                ini.entries("Alerts"));
        assertEquals(6, ini.line("Alerts"));
        assertTrue(ini.entries("Logging").isEmpty());
        assertFalse(ini.has("Logging"));
    }

    @Test
    void keepsHashesThatAreNotComments() {
        IniFile ini = IniFile.parse(FILE, "[Output]\nfile_name = out#1.txt\n");
        assertEquals("out#1.txt", ini.entries("Output").get(0).value());
    }

    @Test
    void emptyValueIsKept() {
        IniFile ini = IniFile.parse(FILE, "[Logging]\r\nlog_to_file =\r\n");
        assertEquals("", ini.entries("Logging").get(0).value());
        assertEquals(2, ini.entries("Logging").get(0).line());
    }

    @Test
    void syntaxErrorsNameTheFileAndLine() {
        assertMessage("my.cfg:2: 'interval 10' is not an entry; expected key = value", "[Stats]\ninterval 10\n");
        assertMessage("my.cfg:1: key 'interval' before any [Section] header", "interval = 10\n");
        assertMessage(
                "my.cfg:3: [Stats] interval is set twice (first on line 2)", "[Stats]\ninterval = 10\nINTERVAL = 5\n");
        assertMessage("my.cfg:3: section [Stats] appears twice (first on line 1)", "[Stats]\ninterval = 1\n[Stats]\n");
        assertMessage("my.cfg:1: '[Stats' is not a section header; expected [Name]", "[Stats\n");
        assertMessage(
                "my.cfg:3: an indented line (continuation lines are not supported); write each key = value on "
                        + "its own line, unindented",
                "[Alerts]\nalert_1 = 10,\n   120\n");
    }

    @Test
    void controlCharactersInAMistakeAreEscaped() {
        UsageException e = assertThrows(UsageException.class, () -> IniFile.parse(FILE, "[Stats]\n\u001b[31m\n"));
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
    }

    @Test
    void missingFileIsAClearError() {
        UsageException e = assertThrows(UsageException.class, () -> IniFile.read(Path.of("/nonexistent/x.cfg")));
        assertEquals("/nonexistent/x.cfg: no such config file", e.getMessage());
    }

    private static void assertMessage(String expected, String text) {
        assertEquals(
                expected,
                assertThrows(UsageException.class, () -> IniFile.parse(FILE, text))
                        .getMessage());
    }
}
