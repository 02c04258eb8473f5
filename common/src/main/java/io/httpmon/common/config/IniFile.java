package io.httpmon.common.config;

import io.httpmon.common.ControlChars;
import io.httpmon.common.UsageException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The INI dialect of the original monitor's config (Python's {@code configparser} defaults): {@code [Section]}
 * headers, {@code key = value} or {@code key: value} entries, keys case-insensitive, whole-line comments starting
 * with {@code #} or {@code ;}. Every entry remembers its line, so a mistake can be reported where it is.
 */
public final class IniFile {

    /** One {@code key = value} line. The key is lower-cased, as configparser does. */
    public record Entry(String section, String key, String value, int line) {}

    private final Path path;
    private final Map<String, Integer> sectionLines;
    private final Map<String, Map<String, Entry>> sections;

    private IniFile(Path path, Map<String, Integer> sectionLines, Map<String, Map<String, Entry>> sections) {
        this.path = path;
        this.sectionLines = sectionLines;
        this.sections = sections;
    }

    /**
     * Reads and parses {@code path}.
     *
     * @throws UsageException naming the file and line of the first syntax error, or why the file cannot be read
     */
    public static IniFile read(Path path) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new UsageException(path + ": no such config file");
        } catch (CharacterCodingException e) {
            throw new UsageException(path + ": not a text file (invalid UTF-8)");
        } catch (IOException e) {
            throw new UsageException(path + ": cannot read the config file: " + e.getMessage());
        }
        return parse(path, text);
    }

    /** Parses {@code text}; {@code path} is only used in messages. */
    public static IniFile parse(Path path, String text) {
        Map<String, Integer> sectionLines = new LinkedHashMap<>();
        Map<String, Map<String, Entry>> sections = new LinkedHashMap<>();
        String section = null;
        String[] lines = text.split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String raw = lines[i];
            if (lineNo == 1 && raw.startsWith("\uFEFF")) {
                raw = raw.substring(1);
            }
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0))) {
                throw new UsageException(where(path, lineNo) + ": an indented line (continuation lines are not "
                        + "supported); write each key = value on its own line, unindented");
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new UsageException(where(path, lineNo) + ": '" + ControlChars.escape(line)
                            + "' is not a section header; expected [Name]");
                }
                section = line.substring(1, line.length() - 1).strip();
                if (sections.containsKey(section)) {
                    throw new UsageException(where(path, lineNo) + ": section [" + ControlChars.escape(section)
                            + "] appears twice (first on line " + sectionLines.get(section) + ")");
                }
                sectionLines.put(section, lineNo);
                sections.put(section, new LinkedHashMap<>());
                continue;
            }
            int eq = separator(line);
            if (eq <= 0) {
                throw new UsageException(where(path, lineNo) + ": '" + ControlChars.escape(line)
                        + "' is not an entry; expected key = value");
            }
            if (section == null) {
                throw new UsageException(where(path, lineNo) + ": key '"
                        + ControlChars.escape(line.substring(0, eq).strip()) + "' before any [Section] header");
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = stripInlineComment(line.substring(eq + 1)).strip();
            Map<String, Entry> entries = sections.get(section);
            Entry previous = entries.get(key);
            if (previous != null) {
                throw new UsageException(where(path, lineNo) + ": [" + section + "] " + key
                        + " is set twice (first on line " + previous.line() + ")");
            }
            entries.put(key, new Entry(section, key, value, lineNo));
        }
        sections.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        return new IniFile(path, Collections.unmodifiableMap(sectionLines), Collections.unmodifiableMap(sections));
    }

    private static int separator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    // "interval = 10  # seconds": a '#' or ';' after whitespace starts a comment, as people write it anyway.
    private static String stripInlineComment(String value) {
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c == '#' || c == ';') && Character.isWhitespace(value.charAt(i - 1))) {
                return value.substring(0, i);
            }
        }
        return value;
    }

    static String where(Path path, int line) {
        return path + ":" + line;
    }

    public Path path() {
        return path;
    }

    /** Section names in file order. */
    public List<String> sections() {
        return new ArrayList<>(sections.keySet());
    }

    /** The line of a section's header. */
    public int line(String section) {
        return sectionLines.getOrDefault(section, 0);
    }

    /** The entries of {@code section} in file order, empty when the section is absent. */
    public List<Entry> entries(String section) {
        return new ArrayList<>(sections.getOrDefault(section, Map.of()).values());
    }

    public boolean has(String section) {
        return sections.containsKey(section);
    }

    /** {@code file:line: [Section] key = value} — how a mistake in an entry starts its message. */
    public String where(Entry entry) {
        return where(path, entry.line()) + ": [" + entry.section() + "] " + entry.key() + " = "
                + ControlChars.escape(entry.value());
    }
}
