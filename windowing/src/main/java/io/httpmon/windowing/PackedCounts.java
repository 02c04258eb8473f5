package io.httpmon.windowing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The counters of one window's complete dimension as one store value: the number of items, then per item its
 * UTF-8 length, its bytes and its count, the numbers as unsigned varints (see {@link CounterStore}).
 */
final class PackedCounts {

    private PackedCounts() {}

    static byte[] encode(Map<String, long[]> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + items.size() * 24);
        varint(out, items.size());
        items.forEach((item, count) -> {
            byte[] bytes = item.getBytes(StandardCharsets.UTF_8);
            varint(out, bytes.length);
            out.write(bytes, 0, bytes.length);
            varint(out, count[0]);
        });
        return out.toByteArray();
    }

    static Map<String, long[]> decode(byte[] value) {
        int[] at = {0};
        int n = (int) varint(value, at);
        Map<String, long[]> items = new HashMap<>(Math.max(16, n * 2));
        for (int i = 0; i < n; i++) {
            int length = (int) varint(value, at);
            String item = new String(value, at[0], length, StandardCharsets.UTF_8);
            at[0] += length;
            items.put(item, new long[] {varint(value, at)});
        }
        return items;
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long varint(byte[] in, int[] at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in[at[0]++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }
}
