package io.httpmon.streams;

import io.httpmon.common.UsageException;
import java.util.Locale;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Where the services' key-value stores keep their data. Every store is changelogged, so a restarted task gets its
 * state back from its changelog either way (under exactly-once a dirty close wipes RocksDB's copy too); the choice is
 * about cost and bounds.
 *
 * <ul>
 *   <li>{@link #keyValue}: state whose size the open windows and the config bound (clocks, merge state, partials
 *       kept for revisions, distinct sets up to their cap, rule and client states): on the heap. In RocksDB each of
 *       their writes went through JNI into a memtable that the shared budget kept flushing: on the bench replay
 *       these stores on the heap took the monitor's peak RSS from 548 to 483 MiB (docs/performance.md, "State on
 *       the heap").
 *   <li>{@link #perItem}: a record per distinct item (resource, user, section...) of every window still open for
 *       revisions: as many as the log has distinct resources in {@code max_lateness}, unbounded (query strings make
 *       most resources distinct). In RocksDB, bounded in memory by {@link BoundedRocksDB}.
 * </ul>
 *
 * {@code -Dhttpmon.state.stores=memory} puts both kinds on the heap (a log with few distinct items), {@code rocksdb}
 * both in RocksDB.
 */
public final class StateStores {

    /** The system property that chooses: unset, {@code memory} or {@code rocksdb}. */
    public static final String PROPERTY = "httpmon.state.stores";

    private StateStores() {}

    /** A store of state the open windows bound: on the heap unless the property says {@code rocksdb}. */
    public static KeyValueBytesStoreSupplier keyValue(String name) {
        return "rocksdb".equals(kind()) ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }

    /** A store of a record per distinct item: in RocksDB unless the property says {@code memory}. */
    public static KeyValueBytesStoreSupplier perItem(String name) {
        return "memory".equals(kind()) ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
    }

    /**
     * Fails with a usage error naming the property and its values when it holds neither: called where a service's
     * settings are read, so a bad value stops it before it waits for Kafka.
     */
    public static void validate() {
        kind();
    }

    private static String kind() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            return "";
        }
        String kind = value.trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("memory") && !kind.equals("rocksdb")) {
            throw new UsageException("-D" + PROPERTY + " must be memory or rocksdb, got '" + value + "'");
        }
        return kind;
    }
}
