package io.httpmon.windowing;

/**
 * Something a {@link WindowCounter} counts the items of, per window: each distinct item (a section, a status
 * class...) gets a counter, and a partial carries the most frequent ones under the dimension's name.
 *
 * @param code the byte that tags the dimension in the counter store's keys: 1 to 127, unique per counter, and
 *     neither {@link #HITS} nor {@link #SUM}
 * @param name its name in a partial
 * @param complete every item goes into a partial, not only the {@link PartialWindowProcessor#TOP_K} most frequent:
 *     for a consumer that adds up the counts of chosen items (alerts: the requests of one section), at the cost of a
 *     partial as large as the window's distinct items
 */
public record Dimension(byte code, String name, boolean complete) {

    /** The code of the window's request count. */
    static final byte HITS = 'h';
    /** The code of the window's sum (see {@link WindowCounter.Tally#sum}). */
    static final byte SUM = 'b';

    public Dimension {
        if (code < 1 || code == HITS || code == SUM) {
            throw new IllegalArgumentException("dimension " + name + ": code " + code + " is taken or out of range");
        }
    }

    /** A dimension whose partials carry the most frequent items. */
    public Dimension(char code, String name) {
        this((byte) code, name, false);
    }

    /** A dimension whose partials carry every item (see {@link #complete}). */
    public static Dimension complete(char code, String name) {
        return new Dimension((byte) code, name, true);
    }
}
