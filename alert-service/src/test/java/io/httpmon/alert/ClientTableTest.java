package io.httpmon.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The tracked clients' table finds, keeps and forgets clients as a map by name would, as they come and go. */
class ClientTableTest {

    @Test
    void clientsComingAndGoingAreFoundAndForgottenAsInAMapByName() {
        ClientTable table = new ClientTable();
        Map<String, ClientState> expected = new HashMap<>();
        Random random = new Random(42);
        // A working set that hovers around the growth threshold of the smallest tables, so runs of neighbouring
        // slots form, wrap around the end of the array and are cut in their middle by removals.
        for (int op = 0; op < 200_000; op++) {
            String name = "10.0." + random.nextInt(8) + "." + random.nextInt(40 + op / 5_000);
            if (random.nextInt(3) == 0) {
                ClientState held = expected.remove(name);
                if (held != null) {
                    table.remove(held);
                }
            } else {
                ClientState c = table.getOrAdd(name);
                ClientState before = expected.putIfAbsent(name, c);
                assertSame(before == null ? c : before, c, name);
            }
            if (op % 997 == 0) {
                assertEquals(expected.size(), table.size());
                for (Map.Entry<String, ClientState> e : expected.entrySet()) {
                    assertSame(e.getValue(), table.get(e.getKey()), e.getKey());
                }
            }
        }
        assertEquals(expected.size(), table.size());
        assertEquals(new ArrayList<>(new TreeMap<>(expected).values()), table.byName());
    }

    @Test
    void aClientForgottenAndSeenAgainIsNotForgottenThroughItsOldState() {
        ClientTable table = new ClientTable();
        ClientState first = table.getOrAdd("203.0.113.9");
        table.remove(first);
        assertNull(table.get("203.0.113.9"));
        ClientState again = table.getOrAdd("203.0.113.9");
        // the old state still sits in the lists of seconds leaving the window; forgetting it must not forget this one
        table.remove(first);
        assertSame(again, table.get("203.0.113.9"));
        assertEquals(1, table.size());
    }

    @Test
    void everyClientOfAWindowOfABusySiteIsKeptAndListedInClientOrder() {
        ClientTable table = new ClientTable();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            names.add("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        }
        names.forEach(table::getOrAdd);
        names.forEach(n -> assertEquals(n, table.get(n).name()));
        List<String> listed = new ArrayList<>();
        table.byName().forEach(c -> listed.add(c.name()));
        assertEquals(names.stream().sorted().toList(), listed);
    }
}
