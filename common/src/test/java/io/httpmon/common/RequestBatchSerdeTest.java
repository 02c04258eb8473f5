package io.httpmon.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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
    void everyFieldReadsBackAsWrittenNullsAndEscapesIncludedInBothForms() {
        RequestBatch batch = new RequestBatch(1767225602500L, 3, List.of(FULL, SPARSE), 2);
        byte[] binary = RequestBatchSerde.all().serialize("t", batch);
        assertEquals(batch, RequestBatchSerde.all().deserialize("t", binary));
        byte[] bytes = RequestBatchSerde.json(batch);
        assertEquals(batch, RequestBatchSerde.all().deserialize("t", bytes), "the JSON form an older parser wrote");
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(
                text.startsWith(
                        "{\"read_at\":1767225602500,\"future\":3,\"dead_letters\":2,\"columns\":[\"host\",\"ident\",\"user\","
                                + "\"time\",\"timestamp\",\"request\",\"method\",\"resource\",\"protocol\",\"section\",\"status\","
                                + "\"bytes\",\"referrer\",\"user_agent\",\"vhost\",\"truncated\",\"response_time_us\",\"upstream\","
                                + "\"forwarded_for\"],\"requests\":[[\"2001:db8::1\""),
                text);
        assertTrue(text.contains("\\u001B[2J"), "a control character is escaped in the JSON: " + text);
    }

    @Test
    void aReaderThatNeedsFewFieldsGetsThoseAndLeavesTheRestNull() {
        for (byte[] bytes : List.of(
                RequestBatchSerde.all().serialize("t", RequestBatch.of(FULL)),
                RequestBatchSerde.json(RequestBatch.of(FULL)))) {
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
    }

    @Test
    void theBinaryFormHoldsEachStringOnceAndIsAFractionOfTheJson() {
        List<HttpRequest> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 700; i++) {
            String resource = "/report/item/" + (i % 40);
            requests.add(new HttpRequest(
                    "10.0.0." + (i % 25),
                    null,
                    i % 3 == 0 ? "james" : null,
                    "2026-01-01T00:00:0" + (i % 10) + "Z",
                    1767225600000L + (i % 10) * 1000L,
                    "GET " + resource + " HTTP/1.1",
                    "GET",
                    resource,
                    "HTTP/1.1",
                    "/report",
                    i % 7 == 0 ? 503 : 200,
                    i % 5 == 0 ? null : 1000L + i,
                    null,
                    "curl/8.0",
                    null,
                    null));
        }
        RequestBatch batch = new RequestBatch(1767225610000L, 0, requests);
        byte[] binary = RequestBatchSerde.all().serialize("t", batch);
        byte[] json = RequestBatchSerde.json(batch);
        RequestBatch read = RequestBatchSerde.all().deserialize("t", binary);
        assertEquals(batch, read);
        assertTrue(binary.length * 4 < json.length, binary.length + " bytes against " + json.length + " in JSON");
        assertSame(
                read.requests().get(0).host(),
                read.requests().get(25).host(),
                "a string repeated in the batch is one string when read");
    }

    @Test
    void aBatchWrittenAfterOthersIsTheSameBytesAsWrittenFirst() {
        // The writer keeps its dictionary table between a thread's batches: nothing of one batch may leak into the
        // next,
        // whether the one before was larger (its table grown), smaller, or shared strings with it.
        List<RequestBatch> batches = new java.util.ArrayList<>();
        for (int size : new int[] {3, 5000, 1, 700, 0, 40}) {
            List<HttpRequest> requests = new java.util.ArrayList<>();
            for (int i = 0; i < size; i++) {
                requests.add(new HttpRequest(
                        "10.0." + (i % 250) + "." + (size % 7),
                        null,
                        i % 3 == 0 ? "ann" : null,
                        "2026-01-01T00:00:00Z",
                        1767225600000L + i,
                        "GET /a" + (i % 9) + " HTTP/1.1",
                        "GET",
                        "/a" + (i % 9),
                        "HTTP/1.1",
                        "/a" + (i % 9),
                        200,
                        (long) i,
                        null,
                        null,
                        null,
                        null));
            }
            batches.add(new RequestBatch(1767225610000L, 0, requests));
        }
        List<byte[]> alone = new java.util.ArrayList<>();
        for (RequestBatch batch : batches) {
            alone.add(RequestBatchSerde.all().serialize("t", batch)); // each after the one before, on this thread
        }
        for (int k = batches.size() - 1; k >= 0; k--) {
            byte[] again = RequestBatchSerde.all().serialize("t", batches.get(k)); // now after other ones
            assertTrue(java.util.Arrays.equals(alone.get(k), again), "batch " + k);
            assertEquals(batches.get(k), RequestBatchSerde.all().deserialize("t", again));
        }
    }

    @Test
    void aSmallBatchOfManyDistinctStringsIsWrittenOnAFreshThreadAndAfterAHugeBatch() throws Exception {
        // A batch of a few requests gets the writer's smallest table; with each request's strings all new, the table
        // fills past half and grows within the batch (a CI run saw 16 lines of a new log fail to be written).
        // A fresh thread has a fresh table; a batch of over 16,000 requests makes the thread drop its grown table.
        List<RequestBatch> batches = new java.util.ArrayList<>();
        for (int size = 1; size <= 24; size++) {
            batches.add(distinctStrings(size, "s" + size));
        }
        batches.add(distinctStrings(17_000, "huge"));
        for (int size = 1; size <= 24; size++) {
            batches.add(distinctStrings(size, "after" + size));
        }
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread fresh = new Thread(() -> {
            try {
                for (RequestBatch batch : batches) {
                    byte[] written = RequestBatchSerde.all().serialize("t", batch);
                    assertEquals(batch, RequestBatchSerde.all().deserialize("t", written));
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        fresh.start();
        fresh.join();
        assertEquals(List.of(), failures);
    }

    private static RequestBatch distinctStrings(int size, String tag) {
        List<HttpRequest> requests = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            String n = tag + "-" + i;
            requests.add(new HttpRequest(
                    "host-" + n,
                    "ident-" + n,
                    "user-" + n,
                    "2026-01-01T00:00:00Z " + n,
                    1767225600000L + i,
                    "GET /p/" + n + " HTTP/1.1",
                    "GET",
                    "/p/" + n,
                    "HTTP/1.1",
                    "/p",
                    200,
                    (long) i,
                    "http://ref/" + n,
                    "agent " + n,
                    "vhost-" + n,
                    null));
        }
        return new RequestBatch(1767225610000L, 0, requests);
    }

    /** A binary record written by hand, as a newer or foreign producer might: see RequestBatchBinary. */
    private static byte[] binary(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return out;
    }

    private static int[] ascii(String s) {
        return s.chars().toArray();
    }

    private static int[] concat(int[]... parts) {
        return java.util.Arrays.stream(parts)
                .flatMapToInt(java.util.Arrays::stream)
                .toArray();
    }

    @Test
    void binaryColumnsAreMatchedByNameInAnyOrderAndUnknownOnesSkipped() {
        int[] record = concat(
                new int[] {1, 10, 0, 0, 1, 1, 1, 'h', 4},
                new int[] {9},
                ascii("shoe_size"),
                new int[] {'L', 2, 0, 14},
                new int[] {9},
                ascii("timestamp"),
                new int[] {'T', 2, 0, 84},
                new int[] {4},
                ascii("host"),
                new int[] {'S', 1, 1},
                new int[] {6},
                ascii("status"),
                new int[] {'I', 3, 0, 0x92, 3});
        RequestBatch read = RequestBatchSerde.all().deserialize("t", binary(record));
        assertEquals(
                List.of(new HttpRequest(
                        "h", null, null, null, 42, null, null, null, null, null, 201, null, null, null, null, null)),
                read.requests());
        assertEquals(5, read.readAt());
    }

    @Test
    void aCutOrDamagedBinaryRecordIsASerializationExceptionNeverAnotherCrash() {
        byte[] whole =
                RequestBatchSerde.all().serialize("t", new RequestBatch(1767225602500L, 1, List.of(FULL, SPARSE)));
        for (int length = 1; length < whole.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(whole, length);
            SerializationException e = assertThrows(
                    SerializationException.class,
                    () -> RequestBatchSerde.all().deserialize("httpmon.requests", cut),
                    "cut at " + length);
            assertTrue(e.getMessage().contains("httpmon.requests"), e.getMessage());
        }
        // Every byte changed in turn: either still a batch (a changed character of a string, a changed number) or
        // refused as garbage; never an exception of another kind, which would stop a stage instead of skipping it.
        for (int i = 0; i < whole.length; i++) {
            for (int flip : new int[] {0x01, 0x80, 0xff}) {
                byte[] damaged = whole.clone();
                damaged[i] ^= (byte) flip;
                try {
                    assertEquals(
                            2, RequestBatchSerde.all().deserialize("t", damaged).size(), "byte " + i);
                } catch (SerializationException e) {
                    assertTrue(e.getMessage().startsWith("Not a "), e.getMessage());
                }
            }
        }
        assertThrows(
                SerializationException.class,
                () -> RequestBatchSerde.all().deserialize("t", binary(1, 10, 0, 0, 1, 0, 0)),
                "a request without any column");
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
    void aReaderOfTimesGetsThemFromTheHeaderAndFromTheValueWhenThereIsNone() {
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
        for (byte[] value : List.of(json, RequestBatchSerde.json(batch))) {
            var fromValue =
                    reader.deserialize("t", new org.apache.kafka.common.header.internals.RecordHeaders(), value);
            assertEquals(
                    List.of(FULL.timestamp(), SPARSE.timestamp(), earlier.timestamp(), FULL.timestamp()),
                    java.util.stream.IntStream.range(0, fromValue.size())
                            .mapToObj(fromValue::time)
                            .toList());
            assertEquals(2, fromValue.future());
        }
        // A header that is not one (cut, or with bytes left over) is ignored: the value says it all.
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
