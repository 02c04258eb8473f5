package io.httpmon.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RequestBatchSerdeTest {

    private static final HttpRequest FULL = new HttpRequest(
            "2001:db8::1",
            "ident",
            "jill",
            "2026-01-01T01:00:00+01:00",
            1767225600000L,
            "GET /a/b?q=\"x\" HTTP/1.1",
            "GET",
            "/a/b?q=\"x\"",
            "HTTP/1.1",
            "/a",
            404,
            5120L,
            "http://ref/\u00e9",
            "curl/8 \u001b[2J",
            "example.org:443",
            true,
            1234L,
            "10.1.0.7:8080",
            "203.0.113.9, 10.0.0.2");
    private static final HttpRequest SPARSE = new HttpRequest(
            "10.0.0.1",
            null,
            null,
            "2026-01-01T00:00:01Z",
            1767225601000L,
            "\\x16\\x03",
            null,
            null,
            null,
            null,
            400,
            null,
            null,
            null,
            null,
            null);

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyFieldReadsBackAsWrittenNullsAndEscapesIncluded() {
        RequestBatch batch = new RequestBatch(1767225602500L, 3, List.of(FULL, SPARSE));
        byte[] bytes = RequestBatchSerde.all().serialize("t", batch);
        assertEquals(batch, RequestBatchSerde.all().deserialize("t", bytes));
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(
                text.startsWith("{\"read_at\":1767225602500,\"future\":3,\"columns\":[\"host\",\"ident\",\"user\","
                        + "\"time\",\"timestamp\",\"request\",\"method\",\"resource\",\"protocol\",\"section\",\"status\","
                        + "\"bytes\",\"referrer\",\"user_agent\",\"vhost\",\"truncated\",\"response_time_us\",\"upstream\","
                        + "\"forwarded_for\"],\"requests\":[[\"2001:db8::1\""),
                text);
        assertTrue(text.contains("\\u001B[2J"), "a control character is escaped in the JSON: " + text);
    }

    @Test
    void aReaderThatNeedsFewFieldsGetsThoseAndLeavesTheRestNull() {
        byte[] bytes = RequestBatchSerde.all().serialize("t", RequestBatch.of(FULL));
        HttpRequest read = RequestBatchSerde.reading(EnumSet.of(RequestBatchSerde.Column.STATUS))
                .deserialize("t", bytes)
                .requests()
                .get(0);
        assertEquals(
                new HttpRequest(
                        FULL.host(),
                        null,
                        null,
                        null,
                        FULL.timestamp(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        404,
                        null,
                        null,
                        null,
                        null,
                        null),
                read,
                "host and time always, then only what was asked");
    }

    @Test
    void columnsAreMatchedByNameInAnyOrderUnknownOnesSkippedAndWithoutThemTheDefaultOrder() {
        RequestBatch read = RequestBatchSerde.all().deserialize("t", json("{\"requests\":[],\"future\":0}"));
        assertEquals(List.of(), read.requests());
        read = RequestBatchSerde.all()
                .deserialize(
                        "t",
                        json(
                                "{\"read_at\":5,\"columns\":[\"status\",\"shoe_size\","
                                        + "\"timestamp\",\"host\"],\"requests\":[[201,{\"nested\":[1]},42,\"h\"]],\"extra\":{\"a\":[1,2]}}"));
        assertEquals(
                List.of(new HttpRequest(
                        "h", null, null, null, 42, null, null, null, null, null, 201, null, null, null, null, null)),
                read.requests());
        assertEquals(5, read.readAt());
    }

    @Test
    void garbageIsASerializationExceptionNamingTheTopicNeverAnotherCrash() {
        for (String garbage : List.of(
                "not json \u001b[2J",
                "[1,2,3]",
                "{}",
                "{\"requests\":[[\"h\"]]}",
                "{\"requests\":[[\"h\",null,null,null,\"soon\"]]}",
                "{\"requests\":[[null,null,null,null,5]]}",
                "{\"requests\":[[\"h\",null,null,null,5,null,null,null,null,null,-5]]}",
                "{\"requests\":[[",
                "{\"requests\":[[\"h\",null,null,null,5,null,null,null,null,null,200,null,null,null,null,\"yes\"]]}",
                "{\"requests\":[[[\"h\"],null,null,null,5]]}",
                "{\"future\":-1,\"requests\":[]}")) {
            SerializationException e = assertThrows(
                    SerializationException.class,
                    () -> RequestBatchSerde.all().deserialize("httpmon.requests", json(garbage)),
                    garbage);
            assertTrue(e.getMessage().contains("httpmon.requests"), e.getMessage());
        }
        assertNull(RequestBatchSerde.all().deserialize("t", null), "a control record has no value");
    }

    @Test
    void aReaderOfTimesGetsThemFromTheHeaderAndFromTheJsonWhenThereIsNone() {
        HttpRequest earlier = new HttpRequest(
                "h", null, null, null, 1767225500000L, null, null, null, null, null, 200, null, null, null, null, null);
        RequestBatch batch = new RequestBatch(1767225602500L, 2, List.of(FULL, SPARSE, earlier, FULL));
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        byte[] json = RequestBatchSerde.all().serialize("t", headers, batch);
        byte[] header = headers.lastHeader(RequestBatchSerde.TIMES).value();
        assertTrue(header.length < 4 + 3 * 4 + 8, "about 2 bytes a request: " + header.length);
        io.httpmon.common.model.RequestTimes expected =
                new io.httpmon.common.model.RequestTimes(1767225602500L, 2, new long[] {
                    FULL.timestamp(), SPARSE.timestamp(), earlier.timestamp(), FULL.timestamp()
                });
        var reader = RequestBatchSerde.timesReader();
        assertEquals(expected, reader.deserialize("t", headers, json), "from the header, out of order times too");
        var fromJson = reader.deserialize("t", new org.apache.kafka.common.header.internals.RecordHeaders(), json);
        assertEquals(
                List.of(FULL.timestamp(), SPARSE.timestamp(), earlier.timestamp(), FULL.timestamp()),
                java.util.stream.IntStream.range(0, fromJson.size())
                        .mapToObj(fromJson::time)
                        .toList());
        assertEquals(2, fromJson.future());
        // A header that is not one (cut, or with bytes left over) is ignored: the JSON says it all.
        for (byte[] bad : List.of(
                java.util.Arrays.copyOf(header, header.length - 1),
                new byte[] {(byte) 0xff},
                java.util.Arrays.copyOf(header, header.length + 1))) {
            var other = new org.apache.kafka.common.header.internals.RecordHeaders();
            other.add(RequestBatchSerde.TIMES, bad);
            assertEquals(4, reader.deserialize("t", other, json).size());
        }
    }
}
