package io.httpmon.windowing;

import io.httpmon.common.BinaryInput;
import io.httpmon.common.BinaryOutput;
import io.httpmon.common.JsonSerde;
import io.httpmon.common.model.SourceCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link WindowPartial} on the partials topic and in the merge step's pending store, in a binary form: a partial is
 * written by stage one and read by the merge step, then written to and read from the pending store's changelog, and
 * as JSON those four passes were the largest part of stats' and alert's own CPU in the bench's second row (alert's
 * partials carry a second's clients, thousands of names). Reads the older JSON form too (its first byte is '{'), so
 * a partials topic or changelog written by an older version is still read after an upgrade.
 *
 * <pre>
 * byte     2                          the form
 * byte     flags                      1 window_start, 2 end_of_input, 4 empty, 8 expired_up_to, 16 top,
 *                                     32 distinct, 64 distinct_sketch, 128 distinct_hashes (each: present / true)
 * varlong  source_partition, partitions, [window_start], closed_up_to, late, future, lateness, hits, sum,
 *          dead_letters, [expired_up_to]                  zigzag varints, as Kafka's own
 * [top]    uvarint d, d x (string dimension, uvarint k, k x (string item, varlong count))
 * [distinct]  uvarint n, n x string
 * [distinct_sketch], [distinct_hashes]   uvarint length, bytes
 * uvarint  s, s x (string source, varlong hits, varlong late, varlong dead_letters)
 * uvarint  e, e x string              ended_sources
 * uvarint  r, r x (string source, varlong read_up_to)
 * string:  uvarint length, UTF-8 bytes
 * </pre>
 */
public final class WindowPartialSerde
        implements Serde<WindowPartial>, Serializer<WindowPartial>, Deserializer<WindowPartial> {

    /** First byte of the binary form. */
    static final byte FORM = 2;

    private static final JsonSerde<WindowPartial> JSON = JsonSerde.ofLogKeyed(WindowPartial.class);

    @Override
    public byte[] serialize(String topic, WindowPartial p) {
        return p == null ? null : write(p);
    }

    @Override
    public WindowPartial deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > 0 && data[0] == '{') {
            return JSON.deserialize(topic, data);
        }
        if (data.length == 0 || data[0] != FORM) {
            throw new SerializationException("Not a window partial on " + topic + ": it starts with byte "
                    + (data.length == 0 ? "none" : Integer.toString(data[0] & 0xFF)));
        }
        try {
            return read(data);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("A truncated or damaged window partial on " + topic, e);
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}

    @Override
    public Serializer<WindowPartial> serializer() {
        return this;
    }

    @Override
    public Deserializer<WindowPartial> deserializer() {
        return this;
    }

    static byte[] write(WindowPartial p) {
        BinaryOutput out = new BinaryOutput(sizeGuess(p));
        out.write(FORM);
        int flags = (p.windowStart() != null ? 1 : 0)
                | (p.endOfInput() ? 2 : 0)
                | (p.empty() ? 4 : 0)
                | (p.expiredUpTo() != null ? 8 : 0)
                | (p.top() != null ? 16 : 0)
                | (p.distinct() != null ? 32 : 0)
                | (p.distinctSketch() != null ? 64 : 0)
                | (p.distinctHashes() != null ? 128 : 0);
        out.write(flags);
        out.varlong(p.sourcePartition());
        out.varlong(p.partitions());
        if (p.windowStart() != null) {
            out.varlong(p.windowStart());
        }
        out.varlong(p.closedUpTo());
        out.varlong(p.late());
        out.varlong(p.future());
        out.varlong(p.lateness());
        out.varlong(p.hits());
        out.varlong(p.sum());
        out.varlong(p.deadLetters());
        if (p.expiredUpTo() != null) {
            out.varlong(p.expiredUpTo());
        }
        if (p.top() != null) {
            out.uvarint(p.top().size());
            p.top().forEach((dimension, items) -> {
                out.string(dimension);
                out.uvarint(items.size());
                items.forEach((item, count) -> {
                    out.string(item);
                    out.varlong(count);
                });
            });
        }
        if (p.distinct() != null) {
            out.uvarint(p.distinct().size());
            p.distinct().forEach(out::string);
        }
        if (p.distinctSketch() != null) {
            out.lengthPrefixed(p.distinctSketch());
        }
        if (p.distinctHashes() != null) {
            out.lengthPrefixed(p.distinctHashes());
        }
        out.uvarint(p.sources().size());
        p.sources().forEach((source, counts) -> {
            out.string(source);
            out.varlong(counts.hits());
            out.varlong(counts.late());
            out.varlong(counts.deadLetters());
        });
        out.uvarint(p.endedSources().size());
        p.endedSources().forEach(out::string);
        out.uvarint(p.readUpTo().size());
        p.readUpTo().forEach((source, at) -> {
            out.string(source);
            out.varlong(at);
        });
        return out.toByteArray();
    }

    /** A guess that holds most partials without growing: the items' text and a few bytes each. */
    private static int sizeGuess(WindowPartial p) {
        int items = 0;
        if (p.top() != null) {
            for (Map<String, Long> dimension : p.top().values()) {
                items += dimension.size();
            }
        }
        int hashes = p.distinctHashes() == null ? 0 : p.distinctHashes().length;
        int sketch = p.distinctSketch() == null ? 0 : p.distinctSketch().length;
        return 128 + 24 * items + hashes + sketch;
    }

    static WindowPartial read(byte[] data) {
        BinaryInput in = new BinaryInput(data);
        in.read(); // the form
        int flags = in.read();
        int sourcePartition = (int) in.varlong();
        int partitions = (int) in.varlong();
        Long windowStart = (flags & 1) != 0 ? in.varlong() : null;
        long closedUpTo = in.varlong();
        long late = in.varlong();
        long future = in.varlong();
        long lateness = in.varlong();
        long hits = in.varlong();
        long sum = in.varlong();
        long deadLetters = in.varlong();
        Long expiredUpTo = (flags & 8) != 0 ? in.varlong() : null;
        Map<String, Map<String, Long>> top = null;
        if ((flags & 16) != 0) {
            int d = in.count("dimensions");
            top = new LinkedHashMap<>(Math.max(4, d * 2));
            for (int i = 0; i < d; i++) {
                String dimension = in.string();
                int k = in.count("items");
                Map<String, Long> items = new LinkedHashMap<>(Math.max(4, k * 2));
                for (int j = 0; j < k; j++) {
                    String item = in.string();
                    items.put(item, in.varlong());
                }
                top.put(dimension, items);
            }
        }
        List<String> distinct = null;
        if ((flags & 32) != 0) {
            int n = in.count("distinct items");
            distinct = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                distinct.add(in.string());
            }
        }
        byte[] sketch = (flags & 64) != 0 ? in.lengthPrefixed() : null;
        byte[] hashes = (flags & 128) != 0 ? in.lengthPrefixed() : null;
        int s = in.count("sources");
        Map<String, SourceCounts> sources = new LinkedHashMap<>();
        for (int i = 0; i < s; i++) {
            String source = in.string();
            sources.put(source, new SourceCounts(in.varlong(), in.varlong(), in.varlong()));
        }
        int e = in.count("ended sources");
        List<String> ended = new ArrayList<>(e);
        for (int i = 0; i < e; i++) {
            ended.add(in.string());
        }
        int r = in.count("sources read");
        Map<String, Long> readUpTo = new LinkedHashMap<>();
        for (int i = 0; i < r; i++) {
            String source = in.string();
            readUpTo.put(source, in.varlong());
        }
        if (in.position() != data.length) {
            throw new IllegalArgumentException((data.length - in.position()) + " bytes after the partial's last field");
        }
        return new WindowPartial(
                sourcePartition,
                partitions,
                windowStart,
                closedUpTo,
                (flags & 2) != 0,
                (flags & 4) != 0,
                late,
                future,
                lateness,
                hits,
                sum,
                top,
                distinct,
                sketch,
                deadLetters,
                expiredUpTo,
                sources,
                ended,
                readUpTo,
                hashes);
    }
}
