package io.httpmon.windowing;

import java.util.Objects;
import java.util.function.Function;

/**
 * Something a {@link WindowCounter} counts the items of, per window: each distinct item (a section, a status
 * class...) gets a counter, and a partial carries the most frequent ones under the dimension's name. Items are
 * typed ({@code T}); the dimension's codec turns them into the strings the stores and the partials hold and back,
 * so a service never packs or unpacks an item by hand.
 *
 * @param code the byte that tags the dimension in the counter store's keys (part of the store's format, so fixed
 *     per dimension rather than derived from an order): 1 to 127, unique per counter, and none of {@link #HITS},
 *     {@link #SUM} and {@link #SOURCE}
 * @param name its name in a partial
 * @param complete every item goes into a partial, not only the {@link PartialWindowProcessor#TOP_K} most frequent:
 *     for a consumer that adds up the counts of chosen items (alerts: the requests of one section), at the cost of a
 *     partial as large as the window's distinct items
 * @param encode an item as stored; distinct items give distinct strings
 * @param decode the inverse of {@code encode}
 */
public record Dimension<T>(
        byte code, String name, boolean complete, Function<T, String> encode, Function<String, T> decode) {

    /** The code of the window's request count. */
    static final byte HITS = 'h';
    /** The code of the window's sum (see {@link WindowCounter.Tally#sum}). */
    static final byte SUM = 'b';
    /** The code of the window's requests per source (counted by the core for every aggregation). */
    static final byte SOURCE = 'o';

    public Dimension {
        if (code < 1 || code == HITS || code == SUM || code == SOURCE) {
            throw new IllegalArgumentException("dimension " + name + ": code " + code + " is taken or out of range");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(encode, "encode");
        Objects.requireNonNull(decode, "decode");
    }

    /** A dimension of string items whose partials carry the most frequent ones. */
    public static Dimension<String> top(char code, String name) {
        return new Dimension<>((byte) code, name, false, Function.identity(), Function.identity());
    }

    /** A dimension of typed items whose partials carry the most frequent ones, stored as {@code encode} writes them. */
    public static <T> Dimension<T> top(char code, String name, Function<T, String> encode, Function<String, T> decode) {
        return new Dimension<>((byte) code, name, false, encode, decode);
    }

    /** A dimension of string items whose partials carry every one (see {@link #complete}). */
    public static Dimension<String> complete(char code, String name) {
        return new Dimension<>((byte) code, name, true, Function.identity(), Function.identity());
    }

    /** A dimension of typed items whose partials carry every one, stored as {@code encode} writes them. */
    public static <T> Dimension<T> complete(
            char code, String name, Function<T, String> encode, Function<String, T> decode) {
        return new Dimension<>((byte) code, name, true, encode, decode);
    }
}
