package io.httpmon.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.config.AlertmanagerSettings;
import io.httpmon.common.model.AlertEvent;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertmanagerSenderTest {

    private final AlertmanagerSender sender = new AlertmanagerSender(
            KafkaOptions.of("unused:9092", "t.", 1),
            new AlertmanagerSettings(List.of(URI.create("http://am:9093")), Duration.ofSeconds(60), null));

    @Test
    void aFiringAlertIsValidForFourResendIntervalsAsPrometheusSendsIt() {
        AlertEvent fired = new AlertEvent(
                "alert_1",
                AlertEvent.State.FIRING,
                12,
                12.5,
                10,
                120,
                "2026-11-25T10:00:00Z",
                "2026-11-25T10:00:00Z",
                null,
                "High traffic generated an alert - hits = 12, triggered at 2026-11-25T10:00:00Z");
        JsonNode alert = sender.payload(List.of(fired), Instant.parse("2026-11-25T10:00:30Z"))
                .get(0);
        assertEquals("alert_1", alert.get("labels").get("alertname").asText());
        assertEquals(fired.message(), alert.get("annotations").get("summary").asText());
        assertEquals("2026-11-25T10:00:00Z", alert.get("startsAt").asText());
        assertEquals("2026-11-25T10:04:30Z", alert.get("endsAt").asText());
        assertFalse(alert.has("generatorURL"), "none configured");
    }

    @Test
    void aResolvedAlertEndsWhenItResolved() {
        AlertEvent resolved = new AlertEvent(
                "alert_1",
                AlertEvent.State.RESOLVED,
                2,
                2.5,
                10,
                120,
                "2026-11-25T10:05:00Z",
                "2026-11-25T10:00:00Z",
                "2026-11-25T10:05:00Z",
                "High traffic alert recovered at 2026-11-25T10:05:00Z");
        JsonNode alert = sender.payload(List.of(resolved), Instant.parse("2026-11-25T11:00:00Z"))
                .get(0);
        assertEquals("2026-11-25T10:00:00Z", alert.get("startsAt").asText());
        assertEquals("2026-11-25T10:05:00Z", alert.get("endsAt").asText());
    }
}
