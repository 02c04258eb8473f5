package io.httpmon.windowing;

/**
 * Something a {@link WindowCounter} counts the items of, per window: each distinct item (a section, a status
 * class...) gets a counter, and a partial carries the most frequent ones under the dimension's name.
 *
 * @param code the byte that tags the dimension in the counter store's keys: 1 to 127, unique per counter, and
 *     neither {@link #HITS} nor {@link #SUM}
 * @param name its name in a partial
 */
public record Dimension(byte code, String name) {

    /** The code of the window's request count. */
    static final byte HITS = 'h';
    /** The code of the window's sum (see {@link WindowCounter.Tally#sum}). */
    static final byte SUM = 'b';

    public Dimension {
        if (code < 1 || code == HITS || code == SUM) {
            throw new IllegalArgumentException("dimension " + name + ": code " + code + " is taken or out of range");
        }
    }

    public Dimension(char code, String name) {
        this((byte) code, name);
    }
}
