package io.httpmon.parser;

import io.httpmon.common.ControlChars;
import io.httpmon.common.model.ParseError;
import io.httpmon.parser.format.LogReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Never silent about lines that are not requests: the first dead letter is said at once, then at most once per
 * period, each time with how many of how many lines since the last report, the first of them (file, line number,
 * text cut to a line's width, reason) and, where another format reads it, which one to set. Lines turned away for
 * their time alone (max_future) have their own warning and are not counted here.
 */
final class DeadLetterReport {

    static final int SHOWN_CHARS = 160;

    private final Logger log;
    private final String topic;
    private final LogReader reader;
    private final long periodMs;
    private final LongSupplier clock;

    private long lastSaid = Long.MIN_VALUE;
    private long lines;
    private long bad;
    private ParseError first;
    private long totalLines;
    private long totalBad;
    private String firstEver;

    DeadLetterReport(Logger log, String topic, LogReader reader, long periodMs, LongSupplier clock) {
        this.log = log;
        this.topic = topic;
        this.reader = reader;
        this.periodMs = periodMs;
        this.clock = clock;
    }

    /** One chunk: its count of lines (directives not counted) and its dead letters. */
    synchronized void add(long chunkLines, List<ParseError> deadLetters) {
        lines += chunkLines;
        totalLines += chunkLines;
        for (ParseError e : deadLetters) {
            if (e.reason() != null && e.reason().contains("max_future")) {
                continue;
            }
            bad++;
            totalBad++;
            if (first == null) {
                first = e;
            }
        }
        if (bad > 0 && (lastSaid == Long.MIN_VALUE || clock.getAsLong() - lastSaid >= periodMs)) {
            say();
        }
    }

    /** Says what is held back, if anything. */
    synchronized void flush() {
        if (bad > 0) {
            say();
        }
    }

    /** The first bad line of the first report (where, text, reason, hint), or null when there was none. */
    synchronized String firstReport() {
        return firstEver;
    }

    synchronized long totalLines() {
        return totalLines;
    }

    synchronized long totalBad() {
        return totalBad;
    }

    private void say() {
        String firstLine = describe(first);
        log.warn(
                "{} of {} lines {} were not requests (dead letters on {}). First: {}",
                bad,
                lines,
                lastSaid == Long.MIN_VALUE ? "read so far" : "since the last report",
                topic,
                firstLine);
        if (firstEver == null) {
            firstEver = firstLine;
        }
        lastSaid = clock.getAsLong();
        lines = 0;
        bad = 0;
        first = null;
    }

    private String describe(ParseError e) {
        String where =
                (e.file() == null ? "" : e.file() + " ") + (e.lineNumber() == null ? "" : "line " + e.lineNumber());
        String line = e.line() == null ? "" : e.line();
        String shown = line.length() > SHOWN_CHARS ? line.substring(0, SHOWN_CHARS) + "..." : line;
        String inUse =
                reader.choice().fixed() == null ? null : reader.choice().fixed().name();
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        String hint = e.lineBase64() == null ? reader.hint(bytes, 0, bytes.length, inUse) : null;
        return ControlChars.escape(where.strip()) + ": `" + ControlChars.escape(shown) + "` ("
                + ControlChars.escape(e.reason())
                + ")"
                + (hint == null
                        ? ""
                        : ". These look like " + hint + ": set [Log] format = " + hint + " (or --log-format " + hint
                                + ")");
    }
}
