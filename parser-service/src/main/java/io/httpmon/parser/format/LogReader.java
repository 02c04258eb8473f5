package io.httpmon.parser.format;

import io.httpmon.common.ControlChars;
import io.httpmon.common.config.LoggingSetup;
import io.httpmon.parser.LogLineParser;
import io.httpmon.parser.LogLineParser.Result;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One parser's reading of the log files it gets chunks of: the format of each file (fixed, or picked by
 * auto-detection from its first lines, and picked again when a rotated file's lines stop matching) and what the
 * file's lines said about later ones (W3C's {@code #Fields:}). Used by one thread.
 */
public final class LogReader {

    /** Lines of a chunk auto-detection looks at. */
    static final int DETECT_LINES = 64;
    /** Files whose state is kept; the least recently used goes beyond (files are few: one per web server). */
    private static final int MAX_FILES = 1000;

    private static final Logger notice = LoggerFactory.getLogger(LoggingSetup.NOTICE);

    private final FormatChoice choice;
    /** The format last said of each file, shared by the readers of one parser: each file's notice said once. */
    private final Map<String, String> announced;

    private final Map<String, Source> sources = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Source> eldest) {
            return size() > MAX_FILES;
        }
    };

    public LogReader(FormatChoice choice) {
        this(choice, new ConcurrentHashMap<>());
    }

    /**
     * A reader that says a file's format only when none of the readers sharing {@code announced} with it said that
     * one last (the parse threads of one parser: each detects for itself, one notice is enough).
     */
    public LogReader(FormatChoice choice, ConcurrentHashMap<String, String> announced) {
        this.choice = choice;
        this.announced = announced;
    }

    /** Combined Log Format, the default of the services' callers that predate formats (and of tests). */
    public static LogReader classic() {
        return new LogReader(LogFormats.choose("combined", ClientPolicy.REMOTE_ADDR));
    }

    public FormatChoice choice() {
        return choice;
    }

    /**
     * The state of {@code file} (null: a chunk without one), with {@code directive} the W3C directive in force at
     * the chunk's first line as the reader saw it (null: none).
     */
    public Source source(String file, String directive) {
        String key = file == null ? "" : file;
        Source s = sources.computeIfAbsent(key, k -> new Source(file));
        if (directive != null) {
            s.context.fieldsDirective(directive);
        }
        return s;
    }

    /** What another format would read of a line that the one in use cannot: a preset's name, or null. */
    public String hint(byte[] line, int from, int to, String inUse) {
        for (LineFormat f : choice.candidates()) {
            if (!f.name().equals(inUse) && readable(f, line, from, to)) {
                return nameOf(f, line, from, to);
            }
        }
        return null;
    }

    private static boolean readable(LineFormat f, byte[] line, int from, int to) {
        try {
            return f.parse(line, from, to, new LineContext()).isRequest();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * How {@code f} reads the chunk's first {@link #DETECT_LINES} lines (directives not counted): {requests, lines,
     * offset of the first request or -1}.
     */
    private int[] count(LineFormat f, byte[] chunk, int from, int to, LineContext context) {
        LineContext scratch = context.copy();
        int matched = 0;
        int seen = 0;
        int first = -1;
        int at = from;
        while (at < to && seen < DETECT_LINES) {
            int end = at;
            while (end < to && chunk[end] != '\n') {
                end++;
            }
            Result r;
            try {
                r = f.parse(chunk, at, end, scratch);
            } catch (RuntimeException e) {
                r = Result.error("unreadable");
            }
            if (!r.isSkipped()) {
                seen++;
                if (r.isRequest()) {
                    matched++;
                    first = first < 0 ? at : first;
                }
            }
            at = end + 1;
        }
        return new int[] {matched, seen, first};
    }

    /** One file's format and context. */
    public final class Source {
        private final String file;
        private final LineContext context = new LineContext();
        private LineFormat format;

        Source(String file) {
            this.file = file;
            this.format = choice.fixed();
        }

        /** The format in use, or null while auto-detection has found none. */
        public LineFormat format() {
            return format;
        }

        /** With auto-detection and no format yet: picks one from the chunk's first lines. */
        public void prepare(byte[] chunk, int from, int to) {
            if (choice.auto() && format == null) {
                detect(chunk, from, to, 0);
            }
        }

        /**
         * With auto-detection: when another format reads more of the chunk's first lines than the one in use (a
         * rotation to another format), picks that one; true when it changed.
         */
        public boolean redetect(byte[] chunk, int from, int to) {
            return choice.auto() && format != null && detect(chunk, from, to, count(format, chunk, from, to)[0]);
        }

        public Result parse(byte[] b, int from, int to) {
            if (format == null) {
                if (to > from && b[from] == '#') {
                    return Result.SKIPPED; // a directive before the first line a format matched
                }
                // Combined's own reason says most about a line of the default format gone wrong; the JSON preset's
                // about a JSON line.
                LineFormat json = json(b, from, to);
                Result own = json == null ? LogLineParser.parse(b, from, to) : json.parse(b, from, to, context);
                return own.isRequest()
                        ? own
                        : Result.error(own.error() + "; no known log format matches it either: "
                                + (json == null
                                        ? ""
                                        : "a JSON log's keys are read as nginx's variable names (time_iso8601 or "
                                                + "time, remote_addr, request, status...) or as Caddy's; ")
                                + "set [Log] format to a preset or the server's log_format or LogFormat");
            }
            try {
                return format.parse(b, from, to, context);
            } catch (RuntimeException e) {
                // The formats' rules are meant to be total; a slip costs one dead letter, not the service.
                return Result.error("unreadable line (" + e.getClass().getSimpleName() + ")");
            }
        }

        /** The JSON preset among the candidates when the line is a JSON object, else null. */
        private LineFormat json(byte[] b, int from, int to) {
            int i = from;
            while (i < to && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            if (i == to || b[i] != '{') {
                return null;
            }
            for (LineFormat candidate : choice.candidates()) {
                if (candidate.name().equals(LogFormats.NGINX_JSON)) {
                    return candidate;
                }
            }
            return null;
        }

        private int[] count(LineFormat f, byte[] chunk, int from, int to) {
            return LogReader.this.count(f, chunk, from, to, context);
        }

        private boolean detect(byte[] chunk, int from, int to, int toBeat) {
            LineFormat best = null;
            int bestMatched = toBeat;
            int lines = 0;
            int firstRequest = -1;
            for (LineFormat candidate : choice.candidates()) {
                int[] counted = count(candidate, chunk, from, to);
                lines = Math.max(lines, counted[1]);
                if (counted[0] > bestMatched) {
                    best = candidate;
                    bestMatched = counted[0];
                    firstRequest = counted[2];
                }
            }
            if (best == null) {
                return false;
            }
            int end = firstRequest;
            while (end < to && chunk[end] != '\n') {
                end++;
            }
            String name = nameOf(best, chunk, firstRequest, end);
            String appended = best instanceof ClassicFormat && name.equals("combined") && chunk[end - 1] != '"'
                    ? "; the fields after the user agent are read past: to read a response time from them, set [Log]"
                            + " format to the server's log_format or LogFormat"
                    : "";
            format = best instanceof ClassicFormat && !best.name().equals(name)
                    ? new ClassicFormat(name, ((ClassicFormat) best).clients())
                    : best;
            if (name.equals(announced.put(file == null ? "" : file, name))) {
                return true; // another parse thread of this parser said it already
            }
            notice.info(
                    "Log format of {}: {} (auto-detected from {} of {} lines{}{})",
                    file == null ? "the log" : ControlChars.escape(file),
                    name,
                    bestMatched,
                    lines,
                    toBeat > 0 ? "; the lines stopped matching the format before" : "",
                    appended);
            return true;
        }
    }

    /** A classic format's name by what the line has: vhost_combined, combined or common. */
    private static String nameOf(LineFormat f, byte[] b, int from, int to) {
        if (!(f instanceof ClassicFormat)) {
            return f.name();
        }
        Result r = f.parse(b, from, to, new LineContext());
        if (!r.isRequest()) {
            return f.name();
        }
        if (r.request().vhost() != null) {
            return "vhost_combined";
        }
        // Combined has the referrer and user agent quoted after the request: six quotes, or more with fields appended
        // (nginx's $request_time, say), which the classic parser reads past.
        int quotes = 0;
        for (int k = from; k < to; k++) {
            quotes += b[k] == '"' ? 1 : 0;
        }
        return quotes >= 6 || (to > from && b[to - 1] == '"') ? "combined" : "common";
    }
}
