package io.httpmon.windowing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.JsonSerde;
import io.httpmon.common.model.SourceCounts;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** A partial comes back from the partials topic and the pending store as it was sent, whichever form wrote it. */
class WindowPartialSerdeTest {

    private final WindowPartialSerde serde = new WindowPartialSerde();

    private static WindowPartial full() {
        Map<String, Long> clients = new LinkedHashMap<>();
        clients.put("10.1.32.66", 3L);
        clients.put("2001:db8::1", 1L);
        clients.put("h\u00f4te-\u65e5\u672c.example", 7L); // not ASCII: written as UTF-8
        clients.put("x".repeat(300), 1L); // a name longer than a one-byte length
        Map<String, Map<String, Long>> top = new LinkedHashMap<>();
        top.put("clients", clients);
        top.put("requests", Map.of("2/api", Long.MAX_VALUE, "5", -4L));
        return new WindowPartial(
                3,
                6,
                1_767_225_600_000L,
                1_767_225_610_000L,
                true,
                false,
                2,
                1,
                45_000,
                2_000,
                123_456_789,
                top,
                List.of("legacy-host"),
                new byte[] {1, 2, 3},
                5,
                1_767_225_500_000L,
                Map.of("web-1", new SourceCounts(1_200, 2, 1), "", new SourceCounts(800, 0, 4)),
                List.of("web-1"),
                Map.of("web-1", 1_767_225_611_000L),
                WindowPartial.pack(new long[] {42L, -1L, Long.MIN_VALUE}));
    }

    private static void assertSamePartial(WindowPartial expected, WindowPartial actual) {
        PartialAssertions.assertSameFigures(expected, actual);
        assertEquals(expected.sourcePartition(), actual.sourcePartition());
        assertEquals(expected.endOfInput(), actual.endOfInput());
        assertEquals(expected.empty(), actual.empty());
        assertEquals(expected.distinct(), actual.distinct());
        assertArrayEquals(expected.distinctSketch(), actual.distinctSketch());
        assertEquals(expected.expiredUpTo(), actual.expiredUpTo());
        assertEquals(expected.endedSources(), actual.endedSources());
        assertEquals(expected.readUpTo(), actual.readUpTo());
        assertArrayEquals(expected.distinctHashes(), actual.distinctHashes());
    }

    @Test
    void everyFieldComesBackAsItWasSentAndTheItemsInTheirOrder() {
        WindowPartial sent = full();
        WindowPartial back = serde.deserialize("t", serde.serialize("t", sent));
        assertSamePartial(sent, back);
        assertEquals(
                List.copyOf(sent.top().get("clients").keySet()),
                List.copyOf(back.top().get("clients").keySet()));
    }

    @Test
    void aProgressOnlyPartialKeepsItsAbsentFieldsAbsent() {
        WindowPartial progress = WindowPartial.progress(0, 1, -5_000, false, true, Stragglers.NONE, null);
        WindowPartial back = serde.deserialize("t", serde.serialize("t", progress));
        assertSamePartial(progress, back);
        assertNull(back.windowStart());
        assertNull(back.top());
        assertNull(back.distinctHashes());
    }

    @Test
    void aPartialAnOlderVersionWroteAsJsonIsStillRead() {
        WindowPartial sent = full();
        byte[] json = JsonSerde.ofLogKeyed(WindowPartial.class).serialize("t", sent);
        assertSamePartial(sent, serde.deserialize("t", json));
    }

    @Test
    void aSecondsClientsTakeLessRoomThanAsJson() {
        Map<String, Long> clients = new LinkedHashMap<>();
        for (int i = 0; i < 2_000; i++) {
            clients.put("10.1." + (i >> 8) + "." + (i & 255), 1L + i % 3);
        }
        WindowPartial p = new WindowPartial(
                0,
                6,
                0L,
                1_000,
                false,
                false,
                0,
                0,
                0,
                2_000,
                0,
                Map.of("clients", clients),
                null,
                null,
                0,
                null,
                Map.of(),
                List.of());
        int binary = serde.serialize("t", p).length;
        int json = JsonSerde.ofLogKeyed(WindowPartial.class).serialize("t", p).length;
        // the quotes, colons and field names go; the names themselves stay text
        assertTrue(binary < json * 85 / 100, binary + " bytes, JSON " + json);
    }

    @Test
    void aTruncatedOrForeignRecordIsASerializationErrorNamingTheTopic() {
        byte[] whole = serde.serialize("t", full());
        for (int cut : new int[] {1, 2, whole.length / 2, whole.length - 1}) {
            SerializationException e = assertThrows(
                    SerializationException.class,
                    () -> serde.deserialize("alerts-partials", Arrays.copyOf(whole, cut)),
                    "cut at " + cut);
            assertTrue(e.getMessage().contains("alerts-partials"), e.getMessage());
        }
        SerializationException foreign =
                assertThrows(SerializationException.class, () -> serde.deserialize("p", new byte[] {7, 0}));
        assertTrue(foreign.getMessage().contains("byte 7"), foreign.getMessage());
    }
}
