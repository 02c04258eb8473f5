package io.httpmon.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.httpmon.common.model.ParseError;
import io.httpmon.parser.format.ClientPolicy;
import io.httpmon.parser.format.LogFormats;
import io.httpmon.parser.format.LogReader;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DeadLetterReportTest {

    private static ParseError bad(long line, String text, String reason) {
        return new ParseError(reason, text, null, text.length(), "raw", 0, 0, "/var/log/a.log", line);
    }

    @Test
    void saidAtOnceThenAtMostOncePerPeriodWithTheFiguresSinceAndAHint() {
        Logger logger = (Logger) LoggerFactory.getLogger("DeadLetterReportTest");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        AtomicLong now = new AtomicLong(0);
        DeadLetterReport report = new DeadLetterReport(
                logger,
                "httpmon.parse-errors",
                new LogReader(LogFormats.choose("combined", ClientPolicy.REMOTE_ADDR)),
                10_000,
                now::get);
        String caddy = "{\"ts\":1796205600.1,\"request\":{\"remote_ip\":\"10.0.0.1\",\"method\":\"GET\",\"uri\":\"/\"},"
                + "\"status\":200}";

        report.add(10, List.of(bad(3, caddy, "expected '[' and the time after the user field")));
        assertEquals(1, seen.list.size(), "the first bad line is said at once");
        String first = seen.list.get(0).getFormattedMessage();
        assertTrue(
                first.startsWith("1 of 10 lines read so far were not requests (dead letters on "
                        + "httpmon.parse-errors). First: /var/log/a.log line 3: `{\"ts\""),
                first);
        assertTrue(first.endsWith("These look like caddy: set [Log] format = caddy (or --log-format caddy)"), first);

        now.set(5_000);
        report.add(100, List.of(bad(20, "x\u001b[2J", "empty"), bad(21, "y", "empty")));
        report.add(
                50,
                List.of(bad(
                        40,
                        "late",
                        "timestamp 3 h 0 min ahead of this host's clock (more than [Stats] max_future = 60 s)")));
        assertEquals(1, seen.list.size(), "within the period: held back");
        now.set(10_000);
        report.add(10, List.of());
        String second = seen.list.get(1).getFormattedMessage();
        assertTrue(second.startsWith("2 of 160 lines since the last report were not requests"), second);
        assertTrue(second.contains("line 20: `x\\x1B[2J` (empty)"), "the first since, escaped: " + second);
        report.flush();
        assertEquals(2, seen.list.size(), "nothing held back: nothing more to say");
        assertEquals(3, report.totalBad(), "the future line has its own warning");
        assertEquals(170, report.totalLines());
    }
}
