package io.httpmon.windowing;

import java.util.Arrays;
import java.util.function.LongConsumer;

/** A set of {@link ItemHash}es: open addressing over a long array, no object per item. */
final class LongSet {

    /** The empty slot; the item 0 itself is kept aside. */
    private static final long FREE = 0;

    private long[] slots;
    private int size;
    private boolean hasZero;

    LongSet() {
        this(16);
    }

    LongSet(int expected) {
        slots = new long[Math.max(16, Integer.highestOneBit(Math.max(1, expected) * 2 - 1) << 1)];
    }

    /** Adds {@code item}; true when it was not in the set. */
    boolean add(long item) {
        if (item == FREE) {
            if (hasZero) {
                return false;
            }
            hasZero = true;
            size++;
            return true;
        }
        int mask = slots.length - 1;
        for (int i = slot(item, mask); ; i = (i + 1) & mask) {
            long present = slots[i];
            if (present == FREE) {
                slots[i] = item;
                if (++size * 2 > slots.length) {
                    grow();
                }
                return true;
            }
            if (present == item) {
                return false;
            }
        }
    }

    void addAll(long[] items) {
        for (long item : items) {
            add(item);
        }
    }

    int size() {
        return size;
    }

    void forEach(LongConsumer action) {
        if (hasZero) {
            action.accept(FREE);
        }
        for (long item : slots) {
            if (item != FREE) {
                action.accept(item);
            }
        }
    }

    long[] toArray() {
        long[] items = new long[size];
        int n = 0;
        if (hasZero) {
            items[n++] = FREE;
        }
        for (long item : slots) {
            if (item != FREE) {
                items[n++] = item;
            }
        }
        return items;
    }

    private static int slot(long item, int mask) {
        return (int) (item ^ (item >>> 32)) & mask; // items are hashes already
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long item : old) {
            if (item != FREE) {
                int i = slot(item, mask);
                while (slots[i] != FREE) {
                    i = (i + 1) & mask;
                }
                slots[i] = item;
            }
        }
    }

    @Override
    public String toString() {
        long[] items = toArray();
        Arrays.sort(items);
        return Arrays.toString(items);
    }
}
