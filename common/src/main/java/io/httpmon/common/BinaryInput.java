package io.httpmon.common;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads {@link BinaryOutput}'s encodings, every read checked against the end: a damaged record is an error, never a
 * wrong value.
 */
public final class BinaryInput {

    private final byte[] data;
    private final int end;
    private int position;

    public BinaryInput(byte[] data) {
        this(data, 0, data.length);
    }

    public BinaryInput(byte[] data, int start, int end) {
        this.data = data;
        this.position = start;
        this.end = end;
    }

    public int read() {
        if (position >= end) {
            throw new IllegalArgumentException("ends at byte " + position + " inside a value");
        }
        return data[position++] & 0xFF;
    }

    /** Skips {@code length} bytes and returns where they start. */
    public int skip(int length) {
        if (length < 0 || length > end - position) {
            throw new IllegalArgumentException(
                    "a length of " + length + " at byte " + position + " goes past the end (" + end + ")");
        }
        int start = position;
        position += length;
        return start;
    }

    public int uvarint() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = read();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a varint longer than 5 bytes at byte " + position);
    }

    /** A count or a length: a non-negative varint no larger than the record (each counted thing takes a byte). */
    public int count(String what) {
        int value = uvarint();
        if (value < 0 || value > data.length) {
            throw new IllegalArgumentException("a count of " + Integer.toUnsignedString(value) + " " + what
                    + " in a record of " + data.length + " bytes");
        }
        return value;
    }

    public long varlong() {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = read();
            raw |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new IllegalArgumentException("a varlong longer than 10 bytes at byte " + position);
    }

    /** The bytes left before the end. */
    public int remaining() {
        return end - position;
    }

    /** Where the next read starts. */
    public int position() {
        return position;
    }

    /** A {@link BinaryOutput#string}. */
    public String string() {
        int length = count("bytes of a string");
        return new String(data, skip(length), length, StandardCharsets.UTF_8);
    }

    /** A {@link BinaryOutput#lengthPrefixed} array. */
    public byte[] lengthPrefixed() {
        int length = count("bytes");
        int start = skip(length);
        return Arrays.copyOfRange(data, start, start + length);
    }
}
