package io.httpmon.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Comparisons of window partials shared by the tests of their binary form and of their merging. */
final class PartialAssertions {

    private PartialAssertions() {}

    /** The window, its clock and every figure it adds up: what a merge and a round trip must both keep. */
    static void assertSameFigures(WindowPartial expected, WindowPartial actual) {
        assertEquals(expected.partitions(), actual.partitions());
        assertEquals(expected.windowStart(), actual.windowStart());
        assertEquals(expected.closedUpTo(), actual.closedUpTo());
        assertEquals(expected.late(), actual.late());
        assertEquals(expected.future(), actual.future());
        assertEquals(expected.lateness(), actual.lateness());
        assertEquals(expected.hits(), actual.hits());
        assertEquals(expected.sum(), actual.sum());
        assertEquals(expected.top(), actual.top());
        assertEquals(expected.deadLetters(), actual.deadLetters());
        assertEquals(expected.sources(), actual.sources());
    }
}
