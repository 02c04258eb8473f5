package io.httpmon.windowing;

import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;

/**
 * The one layout of every store key that starts with a window: the window start, big-endian with its sign bit
 * flipped (so keys sort by window in the stores' unsigned byte order, negative starts first), then a number within
 * the window (a partition, a chunk). {@link CounterKey} starts the same way.
 *
 * @param window the window's start, epoch millis
 * @param index what the key's store numbers within the window
 */
record WindowKey(long window, int index) {

    /** The key's bytes. */
    Bytes bytes() {
        return Bytes.wrap(
                putWindow(ByteBuffer.allocate(12), window).putInt(index).array());
    }

    static WindowKey of(Bytes key) {
        ByteBuffer buffer = ByteBuffer.wrap(key.get());
        return new WindowKey(getWindow(buffer), buffer.getInt());
    }

    /** Writes a window start so that it sorts as the numbers do. */
    static ByteBuffer putWindow(ByteBuffer buffer, long window) {
        return buffer.putLong(window ^ Long.MIN_VALUE);
    }

    /** Reads what {@link #putWindow} wrote. */
    static long getWindow(ByteBuffer buffer) {
        return buffer.getLong() ^ Long.MIN_VALUE;
    }
}
