package io.httpmon.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.UsageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StateStoresTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(StateStores.PROPERTY);
    }

    @Test
    void boundedStateIsOnTheHeapAndPerItemCountersInRocksDbByDefault() {
        assertFalse(StateStores.keyValue("clock").get().persistent());
        assertTrue(StateStores.perItem("counters").get().persistent());
        assertEquals("counters", StateStores.perItem("counters").name());
    }

    @Test
    void thePropertyPutsBothKindsInOnePlace() {
        System.setProperty(StateStores.PROPERTY, " RocksDB ");
        assertTrue(StateStores.keyValue("clock").get().persistent());
        assertTrue(StateStores.perItem("counters").get().persistent());

        System.setProperty(StateStores.PROPERTY, "memory");
        assertFalse(StateStores.keyValue("clock").get().persistent());
        assertFalse(StateStores.perItem("counters").get().persistent());
    }

    @Test
    void anUnknownKindIsRefusedWithWhatIsAllowed() {
        System.setProperty(StateStores.PROPERTY, "disk");
        var e = assertThrows(UsageException.class, StateStores::validate);
        assertEquals("-Dhttpmon.state.stores must be memory or rocksdb, got 'disk'", e.getMessage());
    }
}
