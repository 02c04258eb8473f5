package io.httpmon.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import io.httpmon.common.model.RequestTimes;
import io.httpmon.common.model.TimedBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The JSON form of a {@code requests} record ({@link RequestBatch}): the field names once, under
 * {@code "columns"}, then one array of values per request, so a batch of a thousand requests does not repeat
 * nineteen names a thousand times:
 *
 * <pre>{"read_at":1767225600250,"future":0,"columns":["host","ident","user","time","timestamp",...],
 *  "requests":[["10.0.0.1",null,"james","2026-01-01T00:00:00Z",1767225600000,...],...]}</pre>
 *
 * <p>A reader maps columns by name, so columns may come in any order and unknown ones are skipped; without
 * {@code "columns"} before {@code "requests"} the order of {@link Column} is assumed. Written and read with
 * Jackson's streaming API (no data binding): a service that needs a few fields decodes only those
 * ({@link #reading}), the others are skipped without being turned into strings.
 */
public final class RequestBatchSerde implements Serde<RequestBatch>, Serializer<RequestBatch>,
        Deserializer<RequestBatch> {

    /** The fields of a request, in the order the parser writes them; the JSON names are snake_case. */
    public enum Column {
        HOST, IDENT, USER, TIME, TIMESTAMP, REQUEST, METHOD, RESOURCE, PROTOCOL, SECTION, STATUS, BYTES, REFERRER,
        USER_AGENT, VHOST, TRUNCATED, RESPONSE_TIME_US, UPSTREAM, FORWARDED_FOR;

        final String jsonName = name().toLowerCase(java.util.Locale.ROOT);

        public String jsonName() {
            return jsonName;
        }
    }

    private static final Column[] COLUMNS = Column.values();
    private static final Map<String, Column> BY_NAME;

    static {
        Map<String, Column> byName = new java.util.HashMap<>();
        for (Column c : COLUMNS) {
            byName.put(c.jsonName, c);
        }
        BY_NAME = Map.copyOf(byName);
    }

    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    private final boolean[] needed = new boolean[COLUMNS.length];

    private RequestBatchSerde(Set<Column> needed) {
        for (Column c : needed) {
            this.needed[c.ordinal()] = true;
        }
        // A request always has its host and time: they are what makes it one.
        this.needed[Column.HOST.ordinal()] = true;
        this.needed[Column.TIMESTAMP.ordinal()] = true;
    }

    /** Reads and writes every field. */
    public static RequestBatchSerde all() {
        return new RequestBatchSerde(EnumSet.allOf(Column.class));
    }

    /** Writes every field; reads only {@code columns} (and host and timestamp), leaving the others null. */
    public static RequestBatchSerde reading(Set<Column> columns) {
        return new RequestBatchSerde(columns);
    }

    @Override
    public byte[] serialize(String topic, RequestBatch batch) {
        if (batch == null) {
            return null;
        }
        ByteArrayBuilder out = new ByteArrayBuilder(256 + 256 * batch.requests().size());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("read_at", batch.readAt());
            g.writeNumberField("future", batch.future());
            if (batch.deadLetters() > 0) {
                g.writeNumberField("dead_letters", batch.deadLetters());
            }
            g.writeArrayFieldStart("columns");
            for (Column c : COLUMNS) {
                g.writeString(c.jsonName);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("requests");
            for (HttpRequest r : batch.requests()) {
                g.writeStartArray();
                g.writeString(r.host());
                g.writeString(r.ident());
                g.writeString(r.user());
                g.writeString(r.time());
                g.writeNumber(r.timestamp());
                g.writeString(r.request());
                g.writeString(r.method());
                g.writeString(r.resource());
                g.writeString(r.protocol());
                g.writeString(r.section());
                g.writeNumber(r.status());
                if (r.bytes() == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(r.bytes().longValue());
                }
                g.writeString(r.referrer());
                g.writeString(r.userAgent());
                g.writeString(r.vhost());
                if (r.truncated() == null) {
                    g.writeNull();
                } else {
                    g.writeBoolean(r.truncated());
                }
                if (r.responseTimeUs() == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(r.responseTimeUs().longValue());
                }
                g.writeString(r.upstream());
                g.writeString(r.forwardedFor());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new SerializationException("Cannot write a request batch as JSON", e);
        }
        byte[] bytes = out.toByteArray();
        out.release();
        return bytes;
    }

    /** Writes the batch's JSON and adds the {@link #TIMES} header (the times of its requests) to {@code headers}. */
    @Override
    public byte[] serialize(String topic, Headers headers, RequestBatch batch) {
        if (batch != null && headers != null) {
            headers.remove(TIMES);
            headers.add(TIMES, timesHeader(batch));
        }
        return serialize(topic, batch);
    }

    /**
     * Header on a {@code requests} record: the read time, the future count and the time of each request, as
     * varints (zigzag; each time as the difference from the one before), about 2 bytes a request. A reader that
     * counts only hits reads this instead of the JSON ({@link #timesReader}); the JSON stays the record.
     */
    public static final String TIMES = "httpmon.times";

    static byte[] timesHeader(RequestBatch batch) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(16 + 3 * batch.requests().size());
        writeVarint(out, zigzag(batch.readAt()));
        writeVarint(out, batch.future());
        writeVarint(out, batch.requests().size());
        long previous = 0;
        for (HttpRequest r : batch.requests()) {
            writeVarint(out, zigzag(r.timestamp() - previous));
            previous = r.timestamp();
        }
        return out.toByteArray();
    }

    /** The times in a {@link #TIMES} header, or null when it is not a well-formed one. */
    static RequestTimes readTimesHeader(byte[] header) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(header);
        try {
            long readAt = unzigzag(readVarint(in));
            long future = readVarint(in);
            long count = readVarint(in);
            if (future > Integer.MAX_VALUE || count > header.length) {
                return null;
            }
            long[] times = new long[(int) count];
            long previous = 0;
            for (int i = 0; i < times.length; i++) {
                previous += unzigzag(readVarint(in));
                times[i] = previous;
            }
            return in.hasRemaining() ? null : new RequestTimes(readAt, (int) future, times);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Reads only the times of a {@code requests} record: from its {@link #TIMES} header, or, for a record without
     * one (an older or foreign producer), from its JSON.
     */
    public static Deserializer<TimedBatch> timesReader() {
        RequestBatchSerde json = reading(EnumSet.of(Column.TIMESTAMP));
        return new Deserializer<>() {
            @Override
            public TimedBatch deserialize(String topic, byte[] data) {
                return json.deserialize(topic, data);
            }

            @Override
            public TimedBatch deserialize(String topic, Headers headers, byte[] data) {
                if (data == null) {
                    return null;
                }
                org.apache.kafka.common.header.Header times = headers == null ? null : headers.lastHeader(TIMES);
                RequestTimes read = times == null ? null : readTimesHeader(times.value());
                return read != null ? read : json.deserialize(topic, data);
            }
        };
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeVarint(java.io.ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarint(java.nio.ByteBuffer in) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }

    @Override
    public RequestBatch deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(data)) {
            return read(p);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new SerializationException("Not a request batch JSON record on " + topic + ": " + e.getMessage(), e);
        }
    }

    private RequestBatch read(JsonParser p) throws IOException {
        expect(p.nextToken(), JsonToken.START_OBJECT, p);
        long readAt = 0;
        int future = 0;
        int deadLetters = 0;
        Column[] columns = COLUMNS;
        List<HttpRequest> requests = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "read_at" -> readAt = p.getLongValue();
                case "future" -> future = p.getIntValue();
                case "dead_letters" -> deadLetters = p.getIntValue();
                case "columns" -> columns = readColumns(p, value);
                case "requests" -> requests = readRequests(p, value, columns);
                default -> p.skipChildren();
            }
        }
        if (requests == null) {
            throw new IllegalArgumentException("no \"requests\" array");
        }
        return new RequestBatch(readAt, future, requests, deadLetters);
    }

    private static Column[] readColumns(JsonParser p, JsonToken start) throws IOException {
        expect(start, JsonToken.START_ARRAY, p);
        List<Column> columns = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            columns.add(BY_NAME.get(p.getValueAsString())); // null: a column this version does not know, skipped
        }
        return columns.toArray(Column[]::new);
    }

    private List<HttpRequest> readRequests(JsonParser p, JsonToken start, Column[] columns) throws IOException {
        expect(start, JsonToken.START_ARRAY, p);
        List<HttpRequest> requests = new ArrayList<>();
        Object[] row = new Object[COLUMNS.length];
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            expect(token, JsonToken.START_ARRAY, p);
            java.util.Arrays.fill(row, null);
            int i = 0;
            while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                Column c = i < columns.length ? columns[i] : null;
                i++;
                if (c == null) {
                    p.skipChildren(); // a column of a newer version: any value
                    continue;
                }
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    throw new IllegalArgumentException(c.jsonName + " is a " + token + ", not a value");
                }
                if (!needed[c.ordinal()] || token == JsonToken.VALUE_NULL) {
                    continue;
                }
                row[c.ordinal()] = switch (c) {
                    case TIMESTAMP, BYTES, RESPONSE_TIME_US -> p.getLongValue();
                    case STATUS -> p.getIntValue();
                    case TRUNCATED -> p.getBooleanValue();
                    default -> p.getValueAsString();
                };
            }
            if (row[Column.TIMESTAMP.ordinal()] == null) {
                throw new IllegalArgumentException("a request without its timestamp");
            }
            requests.add(new HttpRequest((String) row[0], (String) row[1], (String) row[2], (String) row[3],
                    (Long) row[4], (String) row[5], (String) row[6], (String) row[7], (String) row[8],
                    (String) row[9], row[10] == null ? 0 : (Integer) row[10], (Long) row[11], (String) row[12],
                    (String) row[13], (String) row[14], (Boolean) row[15], (Long) row[16], (String) row[17],
                    (String) row[18]));
        }
        return requests;
    }

    private static void expect(JsonToken token, JsonToken wanted, JsonParser p) throws IOException {
        if (token != wanted) {
            throw new IllegalArgumentException("expected " + wanted + " but found " + token + " at "
                    + p.currentLocation().getCharOffset());
        }
    }

    @Override
    public Serializer<RequestBatch> serializer() {
        return this;
    }

    @Override
    public Deserializer<RequestBatch> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }
}
