package io.httpmon.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds RocksDB's off-heap memory for every store in the JVM: one shared 128 MiB block cache that also accounts for
 * the memtables (at most 96 MiB of it). Without it each store instance takes its own 50 MiB cache and 3 x 16 MiB
 * memtables, and a process with a few dozen store instances (the all-in-one monitor) grows past a gigabyte.
 * httpmon's stores are small (counters of open windows), but the memtable budget must not be: when every store's
 * writes share too little of it, RocksDB flushes constantly. With 24 MiB, the all-in-one monitor with three
 * {@code [Stats NAME]} monitors (about 90 store instances) replayed 500,000 lines in 152 s instead of 35 s, most of
 * it flushing and compacting (docs/performance.md, "Statistics monitors").
 */
public final class BoundedRocksDB implements RocksDBConfigSetter {

    private static final long TOTAL_BYTES = 128L << 20;
    private static final long MEMTABLE_BYTES = 96L << 20;
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
