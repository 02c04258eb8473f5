package io.httpmon.common;

import io.httpmon.common.RequestBatchSerde.Column;
import io.httpmon.common.RequestBatchSerde.Type;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary form of a {@code requests} record (docs/topics.md, "Binary form"): the batch's distinct strings once, in
 * a dictionary, then the requests column by column, each column with its name, type and length, so that a reader
 * skips a column it does not need (or does not know) without reading it, and decodes a string it needs once per
 * batch, not once per request. The parser writes it; {@link RequestBatchSerde} reads it and the older JSON form.
 *
 * <pre>
 * byte     1                          the form (a JSON record starts with '{')
 * varlong  read_at                    zigzag, as Kafka's own varints
 * uvarint  future, dead_letters, n    n: the number of requests
 * uvarint  d, then d x (uvarint length, UTF-8 bytes)   the dictionary
 * uvarint  c, then c columns:
 *   uvarint length, ASCII name          e.g. "host" (the JSON column names)
 *   byte     type                       'S' string, 'L' long, 'I' int, 'B' boolean, 'T' time (long, deltas)
 *   uvarint  length of the body, then the body: n values
 *     S: uvarint, 0 for null, k for the dictionary's entry k-1
 *     L, I, T: byte 0 (no nulls) or 1 followed by a bitmap of ceil(n/8) bytes (bit i set: request i is null),
 *              then each value that is not null as a zigzag varlong (T: the difference from the one before)
 *     B: one byte each, 0 null, 1 false, 2 true
 * </pre>
 */
final class RequestBatchBinary {

    /** First byte of a binary record. */
    static final byte FORM = 1;

    private RequestBatchBinary() {}

    /** The columns' bodies of the batch being written, kept per thread between batches (a parser's send thread). */
    private static final ThreadLocal<BinaryOutput> SCRATCH = ThreadLocal.withInitial(() -> new BinaryOutput(64 * 1024));
    /** The dictionary of the batch being written, kept per thread too: its table is not allocated per batch. */
    private static final ThreadLocal<Dictionary> DICTIONARY = ThreadLocal.withInitial(Dictionary::new);

    static byte[] write(RequestBatch batch, Column[] columns) {
        List<HttpRequest> requests = batch.requests();
        int n = requests.size();
        Dictionary dictionary = DICTIONARY.get();
        dictionary.reset(n);
        BinaryOutput bodies = SCRATCH.get();
        bodies.reset();
        int[] ends = new int[columns.length];
        long[] numbers = null;
        for (int c = 0; c < columns.length; c++) {
            Column column = columns[c];
            switch (column.type) {
                case STRING -> {
                    // Runs of one value (a second's time, a client's requests) cost an equals, not a lookup.
                    String previous = null;
                    int previousIndex = 0;
                    for (int r = 0; r < n; r++) {
                        String value = string(column, requests.get(r));
                        if (value != previous && (value == null || !value.equals(previous))) {
                            previous = value;
                            previousIndex = value == null ? 0 : dictionary.index(value) + 1;
                        }
                        bodies.uvarint(previousIndex);
                    }
                }
                case LONG, INT -> {
                    if (numbers == null) {
                        numbers = new long[n];
                    }
                    byte[] nulls = numbers(column, requests, numbers);
                    if (nulls == null) {
                        bodies.write(0);
                    } else {
                        bodies.write(1);
                        bodies.write(nulls, 0, nulls.length);
                    }
                    boolean delta = column == Column.TIMESTAMP;
                    long previous = 0;
                    for (int r = 0; r < n; r++) {
                        long v = numbers[r];
                        if (nulls == null || (nulls[r >>> 3] & (1 << (r & 7))) == 0) {
                            bodies.varlong(delta ? v - previous : v);
                            previous = v;
                        }
                    }
                }
                case BOOLEAN -> {
                    for (HttpRequest r : requests) {
                        Boolean value = column == Column.TRUNCATED ? r.truncated() : (Boolean) column.get.apply(r);
                        bodies.write(value == null ? 0 : value ? 2 : 1);
                    }
                }
                default -> throw new IllegalStateException(column.type.name());
            }
            ends[c] = bodies.size();
        }
        int size = 1
                + BinaryOutput.varlongSize(batch.readAt())
                + BinaryOutput.uvarintSize(batch.future())
                + BinaryOutput.uvarintSize(batch.deadLetters())
                + BinaryOutput.uvarintSize(n)
                + BinaryOutput.uvarintSize(dictionary.size)
                + dictionary.bytes
                + BinaryOutput.uvarintSize(columns.length);
        int start = 0;
        for (int c = 0; c < columns.length; c++) {
            int name = columns[c].jsonName.length();
            size += BinaryOutput.uvarintSize(name)
                    + name
                    + 1
                    + BinaryOutput.uvarintSize(ends[c] - start)
                    + ends[c]
                    - start;
            start = ends[c];
        }
        BinaryOutput out = new BinaryOutput(size);
        out.write(FORM);
        out.varlong(batch.readAt());
        out.uvarint(batch.future());
        out.uvarint(batch.deadLetters());
        out.uvarint(n);
        out.uvarint(dictionary.size);
        for (int k = 0; k < dictionary.size; k++) {
            byte[] entry = dictionary.entries[k];
            out.uvarint(entry.length);
            out.write(entry, 0, entry.length);
        }
        out.uvarint(columns.length);
        start = 0;
        for (int c = 0; c < columns.length; c++) {
            byte[] name = columns[c].jsonName.getBytes(StandardCharsets.US_ASCII);
            out.uvarint(name.length);
            out.write(name, 0, name.length);
            out.write(code(columns[c]));
            out.uvarint(ends[c] - start);
            out.write(bodies.array(), start, ends[c] - start);
            start = ends[c];
        }
        if (bodies.capacity() > 4 * 1024 * 1024) {
            SCRATCH.remove(); // a batch of huge lines: not kept for the next one
        }
        dictionary.release();
        if (out.size() != out.capacity()) {
            throw new IllegalStateException("wrote " + out.size() + " bytes of " + out.capacity() + " counted");
        }
        return out.array();
    }

    /**
     * Puts a number column's values in {@code values} (0 for a null) and returns its null map, or null when every
     * request has one: read with the record's own accessors, not the column's generic one (an interface call and a
     * boxed number a value, most of the writer's time under C1).
     */
    private static byte[] numbers(Column column, List<HttpRequest> requests, long[] values) {
        int n = requests.size();
        if (column == Column.TIMESTAMP || column == Column.STATUS) { // never null
            for (int r = 0; r < n; r++) {
                HttpRequest request = requests.get(r);
                values[r] = column == Column.TIMESTAMP ? request.timestamp() : request.status();
            }
            return null;
        }
        byte[] nulls = null;
        for (int r = 0; r < n; r++) {
            HttpRequest request = requests.get(r);
            Number value = column == Column.BYTES
                    ? request.bytes()
                    : column == Column.RESPONSE_TIME_US ? request.responseTimeUs() : (Number) column.get.apply(request);
            if (value == null) {
                if (nulls == null) {
                    nulls = new byte[(n + 7) / 8];
                }
                nulls[r >>> 3] |= (byte) (1 << (r & 7));
                values[r] = 0;
            } else {
                values[r] = value.longValue();
            }
        }
        return nulls;
    }

    /** A string column's value, read with the record's own accessor (see {@link #numbers}). */
    private static String string(Column column, HttpRequest r) {
        return switch (column) {
            case HOST -> r.host();
            case IDENT -> r.ident();
            case USER -> r.user();
            case TIME -> r.time();
            case REQUEST -> r.request();
            case METHOD -> r.method();
            case RESOURCE -> r.resource();
            case PROTOCOL -> r.protocol();
            case SECTION -> r.section();
            case REFERRER -> r.referrer();
            case USER_AGENT -> r.userAgent();
            case VHOST -> r.vhost();
            case UPSTREAM -> r.upstream();
            case FORWARDED_FOR -> r.forwardedFor();
            default -> (String) column.get.apply(r);
        };
    }

    private static byte code(Column column) {
        return switch (column.type) {
            case STRING -> 'S';
            case LONG -> column == Column.TIMESTAMP ? (byte) 'T' : (byte) 'L';
            case INT -> 'I';
            case BOOLEAN -> 'B';
        };
    }

    /**
     * Reads a binary record: the columns in {@code needed} (by ordinal) are decoded, the others skipped. A record
     * that is not a well-formed one is an {@link IllegalArgumentException} saying where it went wrong.
     */
    static RequestBatch read(byte[] data, boolean[] needed) {
        BinaryInput in = new BinaryInput(data);
        if (in.read() != FORM) {
            throw new IllegalArgumentException("not a binary request batch");
        }
        long readAt = in.varlong();
        int future = in.uvarint();
        int deadLetters = in.uvarint();
        int n = in.count("requests");
        int d = in.count("dictionary entries");
        int[] entryStart = new int[d];
        int[] entryLength = new int[d];
        for (int k = 0; k < d; k++) {
            entryLength[k] = in.count("bytes of a string");
            entryStart[k] = in.skip(entryLength[k]);
        }
        String[] strings = new String[d];
        int c = in.count("columns");
        Object[][] values = new Object[Column.values().length][];
        long[][] numbers = new long[values.length][];
        boolean[][] numberNulls = new boolean[values.length][];
        for (int j = 0; j < c; j++) {
            int nameLength = in.count("bytes of a column name");
            String name = new String(data, in.skip(nameLength), nameLength, StandardCharsets.US_ASCII);
            byte code = (byte) in.read();
            int length = in.count("bytes of a column");
            int start = in.skip(length);
            Column column = RequestBatchSerde.column(name);
            if (column == null || !needed[column.ordinal()]) {
                continue; // a column this reader does not need, or of a newer version
            }
            if (code != code(column)) {
                throw new IllegalArgumentException(
                        "column " + name + " has type '" + (char) code + "', not '" + (char) code(column) + "'");
            }
            BinaryInput body = new BinaryInput(data, start, start + length);
            int i = column.ordinal();
            switch (column.type) {
                case STRING -> {
                    String[] decoded = new String[n];
                    for (int r = 0; r < n; r++) {
                        int k = body.uvarint();
                        if (k != 0) {
                            if (k > d) {
                                throw new IllegalArgumentException(
                                        "column " + name + " refers to string " + k + " of " + d);
                            }
                            String s = strings[k - 1];
                            if (s == null) {
                                s = new String(data, entryStart[k - 1], entryLength[k - 1], StandardCharsets.UTF_8);
                                strings[k - 1] = s;
                            }
                            decoded[r] = s;
                        }
                    }
                    values[i] = decoded;
                }
                case LONG, INT -> {
                    boolean[] nulls = readNullMap(data, body, n);
                    long[] decoded = new long[n];
                    boolean delta = column == Column.TIMESTAMP;
                    long previous = 0;
                    for (int r = 0; r < n; r++) {
                        if (nulls == null || !nulls[r]) {
                            long v = body.varlong();
                            decoded[r] = delta ? previous + v : v;
                            previous = decoded[r];
                        }
                    }
                    if (column.type == Type.INT) {
                        for (long v : decoded) {
                            if (v != (int) v) {
                                throw new IllegalArgumentException("column " + name + " holds " + v + ", not an int");
                            }
                        }
                    }
                    numbers[i] = decoded;
                    numberNulls[i] = nulls;
                }
                case BOOLEAN -> {
                    Boolean[] decoded = new Boolean[n];
                    for (int r = 0; r < n; r++) {
                        int b = body.read();
                        if (b > 2) {
                            throw new IllegalArgumentException("column " + name + " holds " + b + ", not a boolean");
                        }
                        decoded[r] = b == 0 ? null : b == 2;
                    }
                    values[i] = decoded;
                }
                default -> throw new IllegalStateException(column.type.name());
            }
            if (body.remaining() != 0) {
                throw new IllegalArgumentException(
                        "column " + name + " has " + body.remaining() + " bytes more than its " + n + " values");
            }
        }
        if (in.position() != data.length) {
            throw new IllegalArgumentException((data.length - in.position()) + " bytes after the last column");
        }
        if (numbers[Column.TIMESTAMP.ordinal()] == null || numberNulls[Column.TIMESTAMP.ordinal()] != null) {
            throw new IllegalArgumentException(n == 0 ? "no timestamp column" : "a request without its timestamp");
        }
        if (values[Column.HOST.ordinal()] == null && n > 0) {
            throw new IllegalArgumentException("no host column");
        }
        // Each column's values at hand (null: not read), not looked up per request and field.
        String[] host = strings(values, Column.HOST);
        String[] ident = strings(values, Column.IDENT);
        String[] user = strings(values, Column.USER);
        String[] time = strings(values, Column.TIME);
        String[] request = strings(values, Column.REQUEST);
        String[] method = strings(values, Column.METHOD);
        String[] resource = strings(values, Column.RESOURCE);
        String[] protocol = strings(values, Column.PROTOCOL);
        String[] section = strings(values, Column.SECTION);
        String[] referrer = strings(values, Column.REFERRER);
        String[] userAgent = strings(values, Column.USER_AGENT);
        String[] vhost = strings(values, Column.VHOST);
        String[] upstream = strings(values, Column.UPSTREAM);
        String[] forwardedFor = strings(values, Column.FORWARDED_FOR);
        Boolean[] truncated = (Boolean[]) values[Column.TRUNCATED.ordinal()];
        long[] timestamps = numbers[Column.TIMESTAMP.ordinal()];
        long[] statuses = numbers[Column.STATUS.ordinal()];
        boolean[] statusNulls = numberNulls[Column.STATUS.ordinal()];
        List<HttpRequest> requests = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            requests.add(new HttpRequest(
                    at(host, r),
                    at(ident, r),
                    at(user, r),
                    at(time, r),
                    timestamps[r],
                    at(request, r),
                    at(method, r),
                    at(resource, r),
                    at(protocol, r),
                    at(section, r),
                    statuses == null || (statusNulls != null && statusNulls[r]) ? 0 : (int) statuses[r],
                    number(numbers, numberNulls, Column.BYTES, r, null),
                    at(referrer, r),
                    at(userAgent, r),
                    at(vhost, r),
                    truncated == null ? null : truncated[r],
                    number(numbers, numberNulls, Column.RESPONSE_TIME_US, r, null),
                    at(upstream, r),
                    at(forwardedFor, r)));
        }
        return new RequestBatch(readAt, future, requests, deadLetters);
    }

    private static boolean[] readNullMap(byte[] data, BinaryInput body, int n) {
        int flag = body.read();
        if (flag == 0) {
            return null;
        }
        if (flag != 1) {
            throw new IllegalArgumentException("a null map flag of " + flag);
        }
        int start = body.skip((n + 7) / 8);
        boolean[] nulls = new boolean[n];
        for (int r = 0; r < n; r++) {
            nulls[r] = (data[start + (r >>> 3)] & (1 << (r & 7))) != 0;
        }
        return nulls;
    }

    private static String[] strings(Object[][] values, Column column) {
        return (String[]) values[column.ordinal()];
    }

    private static <T> T at(T[] column, int r) {
        return column == null ? null : column[r];
    }

    private static Long number(long[][] numbers, boolean[][] nulls, Column column, int r, Long absent) {
        long[] c = numbers[column.ordinal()];
        if (c == null) {
            return absent;
        }
        boolean[] n = nulls[column.ordinal()];
        return n != null && n[r] ? absent : Long.valueOf(c[r]);
    }

    /**
     * The batch's distinct strings, in the order first seen, as UTF-8: an open-addressing table of their indexes (no
     * entry objects, no boxed integers), sized for the batch and reused by the thread's next batch (only the slots a
     * batch used are cleared).
     */
    private static final class Dictionary {
        /** A table larger than this (a batch of over ~16,000 requests) is not kept for the next batch. */
        private static final int MAX_KEPT = 1 << 16;

        private String[] keys;
        private int[] indexes;
        /** The slot of each entry, by index: the table grows once it is over half full, so half its size plus one. */
        private int[] usedSlots;

        byte[][] entries = new byte[16][];
        int size;
        /** The dictionary's bytes as written: each entry's length varint and bytes. */
        int bytes;

        Dictionary() {
            table(64);
        }

        private void table(int capacity) {
            keys = new String[capacity];
            indexes = new int[capacity];
            usedSlots = new int[capacity / 2 + 1];
        }

        /** Empty, with room for a batch of {@code requests}. */
        void reset(int requests) {
            if (size != 0) {
                release(); // a batch whose writing failed half-way
            }
            int capacity = Integer.highestOneBit(Math.max(64, requests * 4) - 1) << 1;
            if (keys.length < capacity) {
                table(capacity);
            }
            if (entries.length < requests) {
                entries = new byte[Math.max(16, requests)][];
            }
        }

        /** Clears what this batch put in, and lets go of a table grown for a batch of huge size. */
        void release() {
            for (int k = 0; k < size; k++) {
                keys[usedSlots[k]] = null;
                entries[k] = null;
            }
            size = 0;
            bytes = 0;
            if (keys.length > MAX_KEPT) {
                table(64);
                entries = new byte[16][];
            }
        }

        int index(String s) {
            int mask = keys.length - 1;
            int slot = mix(s.hashCode()) & mask;
            for (String key; (key = keys[slot]) != null; slot = (slot + 1) & mask) {
                if (key.equals(s)) {
                    return indexes[slot];
                }
            }
            int k = size++;
            keys[slot] = s;
            indexes[slot] = k;
            usedSlots[k] = slot;
            if (k == entries.length) {
                entries = Arrays.copyOf(entries, k * 2);
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            entries[k] = utf8;
            bytes += BinaryOutput.uvarintSize(utf8.length) + utf8.length;
            if (size * 2 > keys.length) {
                grow();
            }
            return k;
        }

        private static int mix(int h) {
            h *= 0x9E3779B9;
            return h ^ (h >>> 16);
        }

        private void grow() {
            String[] oldKeys = keys;
            int[] oldIndexes = indexes;
            keys = new String[oldKeys.length * 2];
            indexes = new int[keys.length];
            usedSlots = Arrays.copyOf(usedSlots, keys.length / 2 + 1);
            int mask = keys.length - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != null) {
                    int slot = mix(oldKeys[i].hashCode()) & mask;
                    while (keys[slot] != null) {
                        slot = (slot + 1) & mask;
                    }
                    keys[slot] = oldKeys[i];
                    indexes[slot] = oldIndexes[i];
                    usedSlots[oldIndexes[i]] = slot;
                }
            }
        }
    }
}
