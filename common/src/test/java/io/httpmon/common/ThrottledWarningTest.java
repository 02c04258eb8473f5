package io.httpmon.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledWarningTest {

    @Test
    void saysTheFirstAtOnceThenAtMostOncePerPeriodWithTheFiguresOfAllSince() {
        Logger logger = (Logger) LoggerFactory.getLogger("throttled-warning-test");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        long[] now = {0};
        ThrottledWarning warning = new ThrottledWarning(
                logger, 60_000, () -> now[0], (count, largest) -> count + " late, up to " + largest + " ms");
        warning.add(1, 500);
        for (int i = 0; i < 20_000; i++) {
            now[0] += 5;
            warning.add(2, i);
        }
        warning.flush();
        List<String> said =
                lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(
                List.of("1 late, up to 500 ms", "24000 late, up to 11999 ms", "16000 late, up to 19999 ms"),
                said,
                "100 s of occurrences: the first line, one a minute later, the rest when flushed");
    }
}
