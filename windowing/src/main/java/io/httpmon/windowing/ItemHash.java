package io.httpmon.windowing;

/**
 * A distinct item (stats: a client host) as 64 bits, so that a window's set of them is a set of longs: 8 bytes an
 * item in memory, in the store and in a partial, where the text was a string each, written as UTF-8 at every hop.
 * Murmur3's 64-bit mixing over the item's characters, four at a time; two of a window's up to 10,000 items share a
 * hash with odds of about 10^-11, so an exact count stays exact for all practical purposes.
 */
public final class ItemHash {

    private ItemHash() {}

    /** The 64-bit hash of {@code item}. */
    public static long of(String item) {
        int n = item.length();
        long h = 0x9E3779B97F4A7C15L ^ n;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            long block = item.charAt(i)
                    | (long) item.charAt(i + 1) << 16
                    | (long) item.charAt(i + 2) << 32
                    | (long) item.charAt(i + 3) << 48;
            h ^= mixBlock(block);
            h = Long.rotateLeft(h, 27) * 5 + 0x52DCE729L;
        }
        long tail = 0;
        for (int shift = 0; i < n; i++, shift += 16) {
            tail |= (long) item.charAt(i) << shift;
        }
        h ^= mixBlock(tail);
        return finish(h);
    }

    private static long mixBlock(long k) {
        k *= 0x87C37B91114253D5L;
        k = Long.rotateLeft(k, 31);
        return k * 0x4CF5AD432745937FL;
    }

    private static long finish(long k) {
        k ^= k >>> 33;
        k *= 0xFF51AFD7ED558CCDL;
        k ^= k >>> 33;
        k *= 0xC4CEB9FE1A85EC53L;
        return k ^ (k >>> 33);
    }
}
