package io.httpmon.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class WindowKeyTest {

    @Test
    void keysSortInByteOrderAsTheirWindowsAndIndexesDoAndReadBack() {
        Random random = new Random(3);
        List<WindowKey> keys = new ArrayList<>(List.of(
                new WindowKey(Long.MIN_VALUE, 0),
                new WindowKey(-86_400_000L * 365 * 60, 2),
                new WindowKey(-10_000, 0),
                new WindowKey(0, 0),
                new WindowKey(0, 1),
                new WindowKey(10_000, Integer.MAX_VALUE),
                new WindowKey(Long.MAX_VALUE, 0)));
        for (int i = 0; i < 200; i++) {
            keys.add(new WindowKey(random.nextLong() / 1000 * 1000, random.nextInt(Integer.MAX_VALUE)));
        }
        List<WindowKey> byNumbers = new ArrayList<>(keys);
        byNumbers.sort((a, b) -> a.window() != b.window()
                ? Long.compare(a.window(), b.window())
                : Integer.compare(a.index(), b.index()));
        List<Bytes> byBytes =
                new ArrayList<>(keys.stream().map(WindowKey::bytes).toList());
        byBytes.sort(Bytes::compareTo); // the stores' order: unsigned bytes
        assertEquals(byNumbers, byBytes.stream().map(WindowKey::of).toList());
    }

    @Test
    void aCounterKeyStartsWithItsWindowAsEveryWindowKeyDoes() {
        CounterKey key = new CounterKey(-20_000, (byte) 's', "/api");
        assertEquals(key, CounterKey.decode(key.bytes()));
        assertEquals(true, Bytes.wrap(CounterKey.first(-20_000).bytes()).compareTo(Bytes.wrap(key.bytes())) < 0);
        assertEquals(
                true,
                Bytes.wrap(key.bytes())
                                .compareTo(Bytes.wrap(CounterKey.first(-10_000).bytes()))
                        < 0);
    }
}
