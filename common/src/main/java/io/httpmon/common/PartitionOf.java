package io.httpmon.common;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Partition {@code partition} of {@code partitions} of a topic, written {@code p/n} in a record header: how a record
 * says where it comes from, so a downstream task knows how many upstream partitions it waits for without asking the
 * cluster.
 */
public record PartitionOf(int partition, int partitions) {

    /** What a record without the header is taken for: the only partition. */
    public static final PartitionOf ONLY = new PartitionOf(0, 1);

    public PartitionOf {
        if (partitions < 1 || partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("no partition " + partition + " of " + partitions);
        }
    }

    /** The value of header {@code name} of {@code headers}, or {@link #ONLY} when it is missing or unreadable. */
    public static PartitionOf read(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return ONLY;
        }
        String text = new String(header.value(), StandardCharsets.US_ASCII);
        int slash = text.indexOf('/');
        try {
            return new PartitionOf(
                    Integer.parseInt(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
        } catch (RuntimeException e) {
            return ONLY; // written by us only; a damaged header must not stop a stage
        }
    }

    public byte[] bytes() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return partition + "/" + partitions;
    }
}
