package io.httpmon.common;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array with Kafka's varint encodings (zigzag varlong; unsigned varint), for the binary record forms
 * ({@link RequestBatchBinary}, the window partials): one writer, so that every form encodes a number the same way.
 */
public final class BinaryOutput {

    private byte[] bytes;
    private int size;

    public BinaryOutput(int capacity) {
        bytes = new byte[capacity];
    }

    /** The bytes written so far. */
    public int size() {
        return size;
    }

    /** The backing array's length. */
    public int capacity() {
        return bytes.length;
    }

    /** The backing array itself (its first {@link #size} bytes are the output): no copy. */
    public byte[] array() {
        return bytes;
    }

    /** The output, as an array of its own. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Starts over, keeping the array. */
    public void reset() {
        size = 0;
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    public void write(int b) {
        room(1);
        bytes[size++] = (byte) b;
    }

    public void write(byte[] b, int offset, int length) {
        room(length);
        System.arraycopy(b, offset, bytes, size, length);
        size += length;
    }

    public static int uvarintSize(int value) {
        int size = 1;
        while ((value & ~0x7F) != 0) {
            size++;
            value >>>= 7;
        }
        return size;
    }

    public static int varlongSize(long value) {
        long v = (value << 1) ^ (value >> 63);
        int size = 1;
        while ((v & ~0x7FL) != 0) {
            size++;
            v >>>= 7;
        }
        return size;
    }

    public void uvarint(int value) {
        if (size + 5 > bytes.length) {
            room(uvarintSize(value));
        }
        while ((value & ~0x7F) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    public void varlong(long value) {
        if (size + 10 > bytes.length) {
            room(varlongSize(value));
        }
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    /** {@code b} with its length first (uvarint). */
    public void lengthPrefixed(byte[] b) {
        uvarint(b.length);
        write(b, 0, b.length);
    }

    /**
     * {@code s} as UTF-8 with its length in bytes first (uvarint). ASCII (addresses, paths, section names) is copied
     * char by char, without an encoded copy of the string.
     */
    public void string(String s) {
        int n = s.length();
        room(5 + n);
        int start = size + uvarintSize(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                lengthPrefixed(s.getBytes(StandardCharsets.UTF_8));
                return;
            }
            bytes[start + i] = (byte) c;
        }
        uvarint(n);
        size = start + n;
    }
}
