package io.httpmon.common;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the pipeline: its name without the deployment's prefix, its key and value serdes, and the
 * topic-level configs it is created with.
 *
 * @param baseName name without prefix, e.g. {@code raw-lines}
 * @param keySerde serde of record keys
 * @param valueSerde serde of record values
 * @param partitions partition count it is created with; 0 for the deployment's configured count
 * @param configs topic configs set when httpmon creates the topic
 */
public record Topic<K, V>(
        String baseName, Serde<K> keySerde, Serde<V> valueSerde, int partitions, Map<String, String> configs) {

    public Topic {
        configs = Map.copyOf(configs);
    }

    /** The full topic name under a prefix such as {@code httpmon.}. */
    public String name(String prefix) {
        return prefix + baseName;
    }
}
