package io.httpmon.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.model.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    private final JsonSerde<HttpRequest> serde = JsonSerde.of(HttpRequest.class);
    private final HttpRequest request = new HttpRequest(
            "::1",
            null,
            "frank",
            "2018-05-09T16:00:39+00:00",
            1525881639000L,
            "GET /a/b HTTP/1.1",
            "GET",
            "/a/b",
            "HTTP/1.1",
            "/a",
            200,
            null,
            null,
            "curl",
            null,
            null);

    @Test
    void writesSnakeCaseWithoutNullsAndReadsItBack() {
        byte[] json = serde.serialize("t", request);
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"user_agent\":\"curl\""), text);
        assertTrue(!text.contains("ident") && !text.contains("bytes"), text);
        assertEquals(request, serde.deserialize("t", json));
    }

    @Test
    void nullInNullOut() {
        assertNull(serde.serialize("t", null));
        assertNull(serde.deserialize("t", null));
    }

    @Test
    void unknownFieldsFromANewerProducerAreIgnored() {
        String json = "{\"host\":\"h\",\"status\":404,\"timestamp\":5,\"added_later\":true}";
        HttpRequest read = serde.deserialize("t", json.getBytes(StandardCharsets.UTF_8));
        assertEquals(404, read.status());
        assertEquals("h", read.host());
    }

    @Test
    void garbageIsASerializationExceptionNamingTheTypeAndTopic() {
        SerializationException e = assertThrows(
                SerializationException.class,
                () -> serde.deserialize("httpmon.requests", "\u001b[31mnot json".getBytes(StandardCharsets.UTF_8)));
        assertTrue(
                e.getMessage().contains("HttpRequest") && e.getMessage().contains("httpmon.requests"), e.getMessage());
    }
}
