package io.httpmon.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TimesTest {

    @Test
    void aSpanIsSaidInItsTwoLargestUnits() {
        assertEquals("45 s", Times.span(45_999));
        assertEquals("3 min 20 s", Times.span(200_000));
        assertEquals("3 h 0 min", Times.span(3 * 3_600_000L + 59_000));
        assertEquals("412 d 7 h", Times.span((412L * 86_400 + 7 * 3_600) * 1000));
        assertEquals("-2 min 0 s", Times.span(-120_000));
    }

    @Test
    void instantsAreIsoUtcToTheSecond() {
        assertEquals("1971-01-01T00:00:00Z", Times.iso(31_536_000_999L));
    }
}
