package io.httpmon.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds RocksDB's off-heap memory for every store in the JVM: one shared 64 MiB block cache that also accounts for
 * the memtables (at most 24 MiB of it). Without it each store instance takes its own 50 MiB cache and 3 x 16 MiB
 * memtables, and a process with a few dozen store instances (the all-in-one monitor) grows past a gigabyte.
 * httpmon's stores are small (counters of open windows), so this costs no throughput.
 */
public final class BoundedRocksDB implements RocksDBConfigSetter {

    private static final long TOTAL_BYTES = 64L << 20;
    private static final long MEMTABLE_BYTES = 24L << 20;
    // Created on first use: RocksDB's native library is loaded by then (a static initialiser would run too early).
    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    private static synchronized void init() {
        if (cache == null) {
            cache = new LRUCache(TOTAL_BYTES, -1, false, 0.1);
            writeBuffers = new WriteBufferManager(MEMTABLE_BYTES, cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        init();
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBuffers);
        options.setWriteBufferSize(4L << 20);
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store: never closed here.
    }
}
