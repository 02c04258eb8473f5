package io.httpmon.alert;

import io.httpmon.common.BinaryInput;
import io.httpmon.common.BinaryOutput;
import io.httpmon.common.JsonSerde;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One second's requests by client as the client store keeps them for a restart ({@link AlertSink.ClientCounts}), in a
 * binary form: a record a second with thousands of clients on a busy site, written to the store's changelog whenever
 * a client_rate rule is in force. Reads the older JSON form too (its first byte is '{').
 *
 * <pre>
 * byte     3                the form
 * uvarint  n, then n x (uvarint length, UTF-8 client, zigzag varlong requests)
 * </pre>
 */
final class ClientCountsSerde
        implements Serde<AlertSink.ClientCounts>,
                Serializer<AlertSink.ClientCounts>,
                Deserializer<AlertSink.ClientCounts> {

    static final byte FORM = 3;

    private static final JsonSerde<AlertSink.ClientCounts> JSON = JsonSerde.ofLogKeyed(AlertSink.ClientCounts.class);

    @Override
    public byte[] serialize(String topic, AlertSink.ClientCounts value) {
        if (value == null) {
            return null;
        }
        Map<String, Long> counts = value.counts();
        BinaryOutput out = new BinaryOutput(8 + 20 * counts.size());
        out.write(FORM);
        out.uvarint(counts.size());
        counts.forEach((client, n) -> {
            out.string(client);
            out.varlong(n);
        });
        return out.toByteArray();
    }

    @Override
    public AlertSink.ClientCounts deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > 0 && data[0] == '{') {
            return JSON.deserialize(topic, data);
        }
        try {
            BinaryInput in = new BinaryInput(data);
            int form = in.read();
            if (form != FORM) {
                throw new IllegalArgumentException("it starts with byte " + form);
            }
            int n = in.count("clients");
            Map<String, Long> counts = new LinkedHashMap<>(Math.max(4, n * 2));
            for (int i = 0; i < n; i++) {
                String client = in.string();
                counts.put(client, in.varlong());
            }
            if (in.remaining() != 0) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the last client");
            }
            return new AlertSink.ClientCounts(counts);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("Not a second's client counts on " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}

    @Override
    public Serializer<AlertSink.ClientCounts> serializer() {
        return this;
    }

    @Override
    public Deserializer<AlertSink.ClientCounts> deserializer() {
        return this;
    }
}
