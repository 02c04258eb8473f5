package io.httpmon.windowing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Distinct counting in fixed memory (HyperLogLog, 2^12 registers: 4 KiB, standard error about 1.6%), used for a
 * window's unique hosts once there are too many to ship exactly. Sketches of two partitions merge exactly.
 */
final class HyperLogLog {

    static final int P = 12;
    private static final int M = 1 << P;

    private final byte[] registers;

    HyperLogLog() {
        this(new byte[M]);
    }

    HyperLogLog(byte[] registers) {
        if (registers.length != M) {
            throw new IllegalArgumentException("a sketch has " + M + " registers, got " + registers.length);
        }
        this.registers = registers;
    }

    /** @return whether the sketch changed */
    boolean add(String item) {
        long hash = hash(item);
        int index = (int) (hash >>> (64 - P));
        int rank = Long.numberOfLeadingZeros((hash << P) | (1L << (P - 1))) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
            return true;
        }
        return false;
    }

    void merge(byte[] other) {
        for (int i = 0; i < M; i++) {
            registers[i] = (byte) Math.max(registers[i], other[i]);
        }
    }

    long estimate() {
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += 1.0 / (1L << r);
            if (r == 0) {
                zeros++;
            }
        }
        double alpha = 0.7213 / (1 + 1.079 / M);
        double estimate = alpha * M * M / sum;
        if (estimate <= 2.5 * M && zeros > 0) {
            estimate = M * Math.log((double) M / zeros); // linear counting for small cardinalities
        }
        return Math.round(estimate);
    }

    byte[] registers() {
        return Arrays.copyOf(registers, M);
    }

    /** FNV-1a over the UTF-8 bytes, then the MurmurHash3 finaliser to spread the bits. */
    static long hash(String item) {
        long h = 0xcbf29ce484222325L;
        for (byte b : item.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
