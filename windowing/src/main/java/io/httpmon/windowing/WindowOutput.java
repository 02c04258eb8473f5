package io.httpmon.windowing;

import io.httpmon.common.Topic;
import org.apache.kafka.common.serialization.Serde;

/**
 * One output of a {@link WindowSink}: a topic, written by a sink node of its own (named {@code node}) with the
 * topic's value serde. A sink that writes several topics forwards each record to the node of its output, so every
 * record reaches only its topic, typed, without a downstream split.
 *
 * @param node the sink node's name in the topology
 */
public record WindowOutput<V>(String node, String topic, Serde<V> valueSerde) {

    /** {@code topic} (with {@code prefix}), written by a node named after its base name ({@code stats-out}). */
    public static <V> WindowOutput<V> of(Topic<String, V> topic, String prefix) {
        return new WindowOutput<>(topic.baseName() + "-out", topic.name(prefix), topic.valueSerde());
    }
}
