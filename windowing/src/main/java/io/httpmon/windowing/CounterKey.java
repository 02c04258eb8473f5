package io.httpmon.windowing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The key of one counter of stage one: a window, a dimension's code and an item (empty for the window's hits and
 * sum). Serialized as a prefix byte, the window start as every window key starts ({@link WindowKey#putWindow}),
 * the code (1 to 127, see {@link Dimension}), then the item's UTF-8: a range scan from one window's first key to
 * another's visits the windows in order.
 */
record CounterKey(long window, byte dimension, String item) {

    static final Serde<CounterKey> SERDE = Serdes.serdeFrom(
            (Serializer<CounterKey>) (topic, key) -> key == null ? null : key.bytes(),
            (Deserializer<CounterKey>) (topic, bytes) -> bytes == null ? null : decode(bytes));

    /** The first key of {@code window}: sorts before each of its counters. */
    static CounterKey first(long window) {
        return new CounterKey(window, (byte) 0, "");
    }

    byte[] bytes() {
        byte[] text = item.getBytes(StandardCharsets.UTF_8);
        return WindowKey.putWindow(ByteBuffer.allocate(10 + text.length).put(PREFIX), window)
                .put(dimension)
                .put(text)
                .array();
    }

    static CounterKey decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.get(); // the prefix
        long window = WindowKey.getWindow(buffer);
        byte dimension = buffer.get();
        return new CounterKey(window, dimension, new String(bytes, 10, bytes.length - 10, StandardCharsets.UTF_8));
    }

    /** A leading byte: the layout of the keys the counters of earlier versions wrote, which stay readable. */
    private static final byte PREFIX = 'W';
}
