package io.httpmon.alert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.httpmon.common.JsonSerde;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.config.AlertRule.Kind;
import org.junit.jupiter.api.Test;

/** What the alert stores keep comes back the same after a restart: the evaluation goes on where it was. */
class AlertStateSerdeTest {

    private static <T> T roundTrip(Class<T> type, T value) {
        JsonSerde<T> serde = JsonSerde.of(type);
        return serde.deserialize("t", serde.serialize("t", value));
    }

    @Test
    void aClientRateRulesPendingAndFiringClientsSurviveTheStoreAsDoTheSecondsCounts() {
        AlertRule rule = new AlertRule("flood", Kind.CLIENT_RATE, 5, 10, null, null, 0, 0, null, null, null, null, 3);
        RuleState state = RuleState.fresh(rule);
        state.clientsFrom(4000);
        state.clientStatuses(java.util.Map.of(
                "10.0.0.1", new RuleState.ClientStatus(-1, "2026-03-01T10:00:02Z"),
                "10.0.0.2", new RuleState.ClientStatus(5000, null)));
        RuleState back = roundTrip(RuleState.class, state);
        assertEquals(4000, back.clientsSince());
        assertEquals(state.clientStatuses(), back.clientStatuses());
        AlertSink.ClientCounts counts = new AlertSink.ClientCounts(java.util.Map.of("10.0.0.1", 7L, "b.example", 2L));
        assertEquals(counts, roundTrip(AlertSink.ClientCounts.class, counts));
        ClientState client = new ClientState("10.0.0.1", ClientTable.keyOf("10.0.0.1"));
        client.add(1000, 3);
        client.add(2000, 4);
        client.add(2000, 1);
        assertArrayEquals(new long[][] {{1000, 3}, {2000, 5}}, client.seconds());
        client.expireUpTo(1000);
        assertEquals(5, client.sum(), "the oldest second leaves the window");
    }

    @Test
    void aLatencyRulesTimesSurviveTheStoreWithTheirQuantile() {
        AlertRule rule = new AlertRule("p50", Kind.LATENCY, 100, 3, null, null, 0, 0, null, null, null, 0.5, null);
        RuleState state = RuleState.fresh(rule);
        int fast = io.httpmon.windowing.ResponseTimeBuckets.ALERT.index(10_000);
        int slow = io.httpmon.windowing.ResponseTimeBuckets.ALERT.index(900_000);
        state.push(3, 3, new long[] {fast, 3});
        state.push(4, 4, new long[] {slow, 4});
        RuleState back = roundTrip(RuleState.class, state);
        assertEquals(state.quantileMillis(0.5), back.quantileMillis(0.5));
        assertEquals(900, back.quantileMillis(0.5), 900 * 0.02, "4 of 7 are slow: the median is");
        back.push(0, 0, null);
        back.push(0, 0, null);
        assertEquals(900, back.quantileMillis(0.5), 900 * 0.02, "the fast second left the window first");
        assertEquals(4, back.sum());
    }

    @Test
    void aSecondsClientsComeBackFromTheClientStoreInTheirBinaryFormAndFromAnOlderJsonOne() {
        java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
        counts.put("10.1.32.66", 7L);
        counts.put("2001:db8::1", 1L);
        counts.put("h\u00f4te.example", 300L);
        AlertSink.ClientCounts second = new AlertSink.ClientCounts(counts);
        ClientCountsSerde serde = new ClientCountsSerde();
        byte[] binary = serde.serialize("t", second);
        assertEquals(second, serde.deserialize("t", binary));
        byte[] json = JsonSerde.ofLogKeyed(AlertSink.ClientCounts.class).serialize("t", second);
        assertEquals(second, serde.deserialize("t", json), "a changelog written before the binary form");
        org.apache.kafka.common.errors.SerializationException damaged = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.kafka.common.errors.SerializationException.class,
                () -> serde.deserialize("alert-clients", java.util.Arrays.copyOf(binary, binary.length - 2)));
        org.junit.jupiter.api.Assertions.assertTrue(
                damaged.getMessage().contains("alert-clients"), damaged.getMessage());
    }
}
