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
import org.apache.kafka.common.utils.ByteUtils;

/**
 * A {@code requests} record ({@link RequestBatch}). The parser writes the binary form ({@link RequestBatchBinary}: a
 * dictionary of the batch's strings, then the requests column by column); this reads it and the JSON form, which
 * older versions wrote and {@code httpmon requests dump --batches} prints for people and jq. The JSON form names the
 * fields once, under
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
public final class RequestBatchSerde
        implements Serde<RequestBatch>, Serializer<RequestBatch>, Deserializer<RequestBatch> {

    /** How a column's value is written and read. */
    enum Type {
        STRING,
        LONG,
        INT,
        BOOLEAN
    }

    /**
     * The fields of a request, described once: JSON name (snake_case of the record component), type and accessor,
     * in the order the parser writes them, which is {@link HttpRequest}'s component order (checked when this class
     * loads, so a field added to the record without its column, or the other way round, fails every test at once).
     * The writer and the reader below are generated from this list.
     */
    public enum Column {
        HOST(Type.STRING, HttpRequest::host),
        IDENT(Type.STRING, HttpRequest::ident),
        USER(Type.STRING, HttpRequest::user),
        TIME(Type.STRING, HttpRequest::time),
        TIMESTAMP(Type.LONG, HttpRequest::timestamp),
        REQUEST(Type.STRING, HttpRequest::request),
        METHOD(Type.STRING, HttpRequest::method),
        RESOURCE(Type.STRING, HttpRequest::resource),
        PROTOCOL(Type.STRING, HttpRequest::protocol),
        SECTION(Type.STRING, HttpRequest::section),
        STATUS(Type.INT, HttpRequest::status),
        BYTES(Type.LONG, HttpRequest::bytes),
        REFERRER(Type.STRING, HttpRequest::referrer),
        USER_AGENT(Type.STRING, HttpRequest::userAgent),
        VHOST(Type.STRING, HttpRequest::vhost),
        TRUNCATED(Type.BOOLEAN, HttpRequest::truncated),
        RESPONSE_TIME_US(Type.LONG, HttpRequest::responseTimeUs),
        UPSTREAM(Type.STRING, HttpRequest::upstream),
        FORWARDED_FOR(Type.STRING, HttpRequest::forwardedFor);

        final String jsonName = name().toLowerCase(java.util.Locale.ROOT);
        final Type type;
        final java.util.function.Function<HttpRequest, Object> get;

        Column(Type type, java.util.function.Function<HttpRequest, Object> get) {
            this.type = type;
            this.get = get;
        }

        public String jsonName() {
            return jsonName;
        }

        /** The request's value of this column: a String, Long, Integer or Boolean, or null. */
        public Object value(HttpRequest request) {
            return get.apply(request);
        }
    }

    private static final Column[] COLUMNS = Column.values();
    private static final Map<String, Column> BY_NAME;
    /** HttpRequest's canonical constructor, taking the values of {@link #COLUMNS} as one array. */
    private static final java.lang.invoke.MethodHandle CONSTRUCT;

    static {
        Map<String, Column> byName = new java.util.HashMap<>();
        for (Column c : COLUMNS) {
            byName.put(c.jsonName, c);
        }
        BY_NAME = Map.copyOf(byName);
        java.lang.reflect.RecordComponent[] components = HttpRequest.class.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            String snake = components[i].getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
            if (i >= COLUMNS.length || !COLUMNS[i].jsonName.equals(snake)) {
                throw new ExceptionInInitializerError("HttpRequest's component " + i + " is " + snake + " but column "
                        + i + " is " + (i < COLUMNS.length ? COLUMNS[i].jsonName : "missing"));
            }
            types[i] = components[i].getType();
        }
        if (components.length != COLUMNS.length) {
            throw new ExceptionInInitializerError(
                    COLUMNS.length + " columns for " + components.length + " components of HttpRequest");
        }
        try {
            CONSTRUCT = java.lang.invoke.MethodHandles.publicLookup()
                    .findConstructor(HttpRequest.class, java.lang.invoke.MethodType.methodType(void.class, types))
                    .asSpreader(Object[].class, types.length);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
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

    /** The binary form ({@link RequestBatchBinary}): what the parser publishes. */
    @Override
    public byte[] serialize(String topic, RequestBatch batch) {
        return batch == null ? null : RequestBatchBinary.write(batch, COLUMNS);
    }

    /** The column of a JSON name, or null for a name this version does not know. */
    static Column column(String jsonName) {
        return BY_NAME.get(jsonName);
    }

    /** The JSON form of a batch (docs/topics.md), as {@code httpmon requests dump --batches} prints it. */
    public static byte[] json(RequestBatch batch) {
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
                for (Column c : COLUMNS) {
                    Object value = c.get.apply(r);
                    if (value == null) {
                        g.writeNull();
                        continue;
                    }
                    switch (c.type) {
                        case STRING -> g.writeString((String) value);
                        case LONG -> g.writeNumber((Long) value);
                        case INT -> g.writeNumber((Integer) value);
                        case BOOLEAN -> g.writeBoolean((Boolean) value);
                        default -> throw new IllegalStateException(c.type.name());
                    }
                }
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

    /** Writes the batch and adds the {@link #TIMES} header (the times of its requests) to {@code headers}. */
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
     * counts only hits reads this instead of the value ({@link #timesReader}); the value stays the record.
     */
    public static final String TIMES = "httpmon.times";

    static byte[] timesHeader(RequestBatch batch) {
        java.nio.ByteBuffer out =
                java.nio.ByteBuffer.allocate(3 * 10 + 10 * batch.requests().size());
        // Kafka's own varints: zigzag-encoded varlongs (signed), unsigned varints for the counts.
        ByteUtils.writeVarlong(batch.readAt(), out);
        ByteUtils.writeUnsignedVarint(batch.future(), out);
        ByteUtils.writeUnsignedVarint(batch.requests().size(), out);
        long previous = 0;
        for (HttpRequest r : batch.requests()) {
            ByteUtils.writeVarlong(r.timestamp() - previous, out);
            previous = r.timestamp();
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    /** The times in a {@link #TIMES} header, or null when it is not a well-formed one. */
    static RequestTimes readTimesHeader(byte[] header) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(header);
        try {
            long readAt = ByteUtils.readVarlong(in);
            int future = ByteUtils.readUnsignedVarint(in);
            int count = ByteUtils.readUnsignedVarint(in);
            if (future < 0 || count < 0 || count > header.length) {
                return null;
            }
            long[] times = new long[count];
            long previous = 0;
            for (int i = 0; i < times.length; i++) {
                previous += ByteUtils.readVarlong(in);
                times[i] = previous;
            }
            return in.hasRemaining() ? null : new RequestTimes(readAt, future, times);
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

    @Override
    public RequestBatch deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > 0 && data[0] == RequestBatchBinary.FORM) {
            try {
                return RequestBatchBinary.read(data, needed);
            } catch (IllegalArgumentException e) {
                throw new SerializationException(
                        "Not a binary request batch record on " + topic + ": " + e.getMessage(), e);
            }
        }
        try (JsonParser p = FACTORY.createParser(data)) {
            return read(p);
        } catch (IOException | IllegalArgumentException e) {
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
                row[c.ordinal()] = switch (c.type) {
                    case LONG -> p.getLongValue();
                    case INT -> p.getIntValue();
                    case BOOLEAN -> p.getBooleanValue();
                    case STRING -> p.getValueAsString();
                };
            }
            if (row[Column.TIMESTAMP.ordinal()] == null) {
                throw new IllegalArgumentException("a request without its timestamp");
            }
            if (row[Column.STATUS.ordinal()] == null) {
                row[Column.STATUS.ordinal()] = 0; // a reader that did not ask for it
            }
            requests.add(construct(row));
        }
        return requests;
    }

    /** The request of a row: a value the record refuses (a host missing) is the batch's format error. */
    private static HttpRequest construct(Object[] row) {
        try {
            return (HttpRequest) CONSTRUCT.invoke(row);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot make a request of " + java.util.Arrays.toString(row), t);
        }
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
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}
}
