package io.httpmon.common;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * An in-band control record: not data but a point in the stream that every stage passes on. On the wire it is a
 * record without key and value whose {@link #HEADER} names the kind; {@link #FROM_HEADER} says which upstream
 * partition it came from ({@code p/n}), so a task that reads several upstream partitions' markers knows when it has
 * all of them. The time is the record's timestamp. {@link #read} and {@link #toRecord} are the only codec.
 *
 * @param kind what the record marks
 * @param from the raw-lines partition it started on (p of n); {@link PartitionOf#ONLY} before the parser
 * @param time the record's timestamp: for {@link Kind#IDLE} the reader's wall clock
 * @param source the reader (source) that sent it, its {@link ChunkHeaders#SOURCE}; "" when not said (an older
 *     reader)
 */
public record Control(Kind kind, PartitionOf from, long time, String source) {

    /** Header naming a control record's kind. */
    public static final String HEADER = "httpmon.control";
    /** Header on a control record the parser passed on: the raw-lines partition it came from, {@code p/n}. */
    public static final String FROM_HEADER = "httpmon.from-partition";

    public enum Kind {
        /** The reader's {@code --once} reached the end of the file: no more data follows. */
        END_OF_INPUT("end-of-input"),
        /**
         * The reader is at the end of the file and nothing new came for a second: as of the record's time (the
         * reader's wall clock) there is no traffic. Sent every second while idle. Only this lets event time move
         * without requests: when the reader, the parser or the broker is stalled, no heartbeat comes and no window
         * closes early.
         */
        IDLE("idle"),
        /**
         * A reader starts: a source exists that will send data, heartbeats and its own end of input. Sent on every
         * partition before its first line, so that another source's end of input, coming after it, does not end the
         * pipeline's time while this one still publishes.
         */
        HELLO("hello"),
        /** A kind this version does not know (a newer writer): passed over. */
        UNKNOWN("unknown");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        static Kind of(String wire) {
            for (Kind kind : values()) {
                if (kind.wire.equals(wire)) {
                    return kind;
                }
            }
            return UNKNOWN;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    public Control {
        if (kind == null || from == null) {
            throw new IllegalArgumentException("a control record has a kind and an origin");
        }
        source = source == null ? "" : source;
    }

    public Control(Kind kind, PartitionOf from, long time) {
        this(kind, from, time, "");
    }

    public static Control idle(long readerClock) {
        return new Control(Kind.IDLE, PartitionOf.ONLY, readerClock);
    }

    public static Control endOfInput(long time) {
        return new Control(Kind.END_OF_INPUT, PartitionOf.ONLY, time);
    }

    public static Control hello(long time) {
        return new Control(Kind.HELLO, PartitionOf.ONLY, time);
    }

    /** The same marker, saying it came from upstream partition {@code from}. */
    public Control from(PartitionOf upstream) {
        return new Control(kind, upstream, time, source);
    }

    /** The same marker, saying which source (reader) sent it. */
    public Control by(String sourceId) {
        return new Control(kind, from, time, sourceId);
    }

    /**
     * On the end-of-input marker the statistics and alerts write: the sources (reader ids) whose end it is, as a
     * JSON array of strings, so a display can say how many it saw end.
     */
    public static final String SOURCES_ENDED_HEADER = "httpmon.sources-ended";

    /** These headers plus the sources that ended (see {@link #SOURCES_ENDED_HEADER}); none when empty. */
    public static Headers withEndedSources(Headers headers, java.util.Collection<String> sources) {
        if (!sources.isEmpty()) {
            try {
                headers.add(SOURCES_ENDED_HEADER, Json.MAPPER.writeValueAsBytes(List.copyOf(sources)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return headers;
    }

    /**
     * On the end-of-input marker a {@code [Stats NAME]} monitor writes to {@code stats}: its name (UTF-8). The
     * default monitor's marker has none. A reader of {@code stats} has its end once every monitor's marker came.
     */
    public static final String MONITOR_HEADER = "httpmon.monitor";

    /** The monitor an end-of-input marker with these headers is of: "" for the default one. */
    public static String monitor(Headers headers) {
        Header h = headers.lastHeader(MONITOR_HEADER);
        return h == null || h.value() == null ? "" : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The sources an end-of-input marker with these headers says ended; empty when it does not say. */
    public static List<String> endedSources(Headers headers) {
        Header h = headers.lastHeader(SOURCES_ENDED_HEADER);
        if (h == null || h.value() == null) {
            return List.of();
        }
        try {
            return List.of(Json.MAPPER.readValue(h.value(), String[].class));
        } catch (java.io.IOException | RuntimeException e) {
            return List.of(); // a header this version cannot read: the end is an end all the same
        }
    }

    /** Whether a record with these headers is a control record (and not data). */
    public static boolean isControl(Headers headers) {
        return headers.lastHeader(HEADER) != null;
    }

    /** The control record a record with {@code headers} and {@code timestamp} is, or null when it is data. */
    public static Control read(Headers headers, long timestamp) {
        Header kind = headers.lastHeader(HEADER);
        if (kind == null) {
            return null;
        }
        String wire = kind.value() == null ? "" : new String(kind.value(), StandardCharsets.UTF_8);
        return new Control(
                Kind.of(wire), PartitionOf.read(headers, FROM_HEADER), timestamp, ChunkHeaders.source(headers));
    }

    /** The headers that make a record this control record (its time is the record's timestamp). */
    public Headers headers() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER, kind.wire.getBytes(StandardCharsets.UTF_8));
        if (!from.equals(PartitionOf.ONLY)) {
            headers.add(FROM_HEADER, from.bytes());
        }
        if (!source.isEmpty()) {
            headers.add(ChunkHeaders.SOURCE, source.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** This control record, to be sent to {@code partition} of {@code topic}. */
    public ProducerRecord<byte[], byte[]> toRecord(String topic, int partition) {
        return new ProducerRecord<>(topic, partition, time, null, null, headers());
    }
}
