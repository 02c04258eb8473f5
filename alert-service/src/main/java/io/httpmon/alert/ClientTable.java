package io.httpmon.alert;

import io.httpmon.windowing.ItemHash;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@code client_rate} rule's tracked clients, by name: an open-addressing table on the names' 64-bit
 * {@link ItemHash}es, with linear probing and deletion by backward shift.
 *
 * <p>Why not a {@code HashMap<String, ClientState>}: a busy site's 60 s window holds about 10^5 clients, most of them
 * seen once, so every second's few thousand lookups and removals miss the cache; the map's path (table, node, key,
 * key's bytes for {@code equals}, value) was a fifth of the alert service's CPU in the bench's second row. Here a
 * lookup reads one array of longs and then the state itself. Two clients whose names share a 64-bit hash would share
 * a state (their requests added up, the alert named after the first): with 10^5 clients in a window the odds are
 * about 10^-10, and about 10^-6 a day at 2,000 new clients a second, the same bet as the stats' distinct hosts.
 */
final class ClientTable {

    /** The key of an empty slot; a name hashing to it is stored as {@link #ZERO_STAND_IN}. */
    private static final long EMPTY = 0L;

    private static final long ZERO_STAND_IN = 1L;

    private long[] keys = new long[64];
    private ClientState[] states = new ClientState[64];
    private int size;

    static long keyOf(String name) {
        long key = ItemHash.of(name);
        return key == EMPTY ? ZERO_STAND_IN : key;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The state of {@code name}, or null. */
    ClientState get(String name) {
        long key = keyOf(name);
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return states[i];
            }
            if (k == EMPTY) {
                return null;
            }
        }
    }

    /** The state of {@code name}, a new one if it had none. */
    ClientState getOrAdd(String name) {
        long key = keyOf(name);
        int mask = keys.length - 1;
        int i = slot(key, mask);
        for (; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return states[i];
            }
            if (k == EMPTY) {
                break;
            }
        }
        ClientState c = new ClientState(name, key);
        keys[i] = key;
        states[i] = c;
        if (++size > keys.length / 2) {
            grow();
        }
        return c;
    }

    /** Forgets {@code c} if it is the state held for its name (not one forgotten and replaced since). */
    void remove(ClientState c) {
        int mask = keys.length - 1;
        int i = slot(c.key, mask);
        for (; ; i = (i + 1) & mask) {
            if (keys[i] == EMPTY) {
                return;
            }
            if (states[i] == c) {
                break;
            }
        }
        size--;
        // Backward shift: move later entries of the run into the hole when their home slot allows it, so that a
        // lookup never stops early at an emptied slot (no tombstones to pile up as clients come and go).
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            // j's entry may fill the hole when its home is not in the cyclic range (hole, j]
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                states[hole] = states[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        states[hole] = null;
    }

    void forEach(Consumer<ClientState> action) {
        for (ClientState c : states) {
            if (c != null) {
                action.accept(c);
            }
        }
    }

    /** Every state, in client order. */
    List<ClientState> byName() {
        List<ClientState> all = new ArrayList<>(size);
        forEach(all::add);
        all.sort(java.util.Comparator.comparing(ClientState::name));
        return all;
    }

    private void grow() {
        long[] oldKeys = keys;
        ClientState[] oldStates = states;
        keys = new long[oldKeys.length * 2];
        states = new ClientState[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = slot(oldKeys[j], mask);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                states[i] = oldStates[j];
            }
        }
    }

    /** The slot a key starts its probe at: both halves of the hash, folded. */
    private static int slot(long key, int mask) {
        return (int) (key ^ (key >>> 32)) & mask;
    }
}
