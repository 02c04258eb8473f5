package io.httpmon.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Random batches, as a parse thread writes them one after another, read back as they were and are the bytes a fresh
 * writer makes of them: the writer's reused dictionary table must neither run out of room nor leak a batch's strings
 * into the next, whatever the batches' sizes and share of new strings. The seed is in every message.
 */
class RequestBatchBinaryPropertyTest {

    @Test
    void randomBatchesWrittenInSequenceReadBackAndMatchAFreshWriter() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        ExecutorService fresh = Executors.newCachedThreadPool();
        try {
            for (int b = 0; b < 300; b++) {
                RequestBatch batch = randomBatch(random);
                String where = "seed " + seed + ", batch " + b + " of "
                        + batch.requests().size() + " requests";
                try {
                    byte[] written = RequestBatchSerde.all().serialize("t", batch); // after the batches before
                    assertEquals(batch, RequestBatchSerde.all().deserialize("t", written), where);
                    // A new thread's writer has never written a batch: its smallest table, nothing kept.
                    byte[] alone = fresh.submit(() -> RequestBatchSerde.all().serialize("t", batch))
                            .get();
                    assertArrayEquals(alone, written, where);
                } catch (RuntimeException | java.util.concurrent.ExecutionException e) {
                    throw new AssertionError(where + ": " + e, e);
                }
                if (b % 50 == 0) {
                    fresh.shutdown();
                    fresh = Executors.newCachedThreadPool();
                }
            }
        } finally {
            fresh.shutdownNow();
        }
    }

    private static RequestBatch randomBatch(SplittableRandom random) {
        int size = random.nextInt(10) == 0 ? random.nextInt(20_000) : random.nextInt(64);
        // How many strings the batch draws from: a few (a busy site's frequent values) to all new.
        int pool = 1 + random.nextInt(random.nextBoolean() ? 8 : 100_000);
        List<HttpRequest> requests = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            requests.add(new HttpRequest(
                    string(random, pool, "h"),
                    maybe(random, pool, "i"),
                    maybe(random, pool, "u\u00e9"),
                    string(random, pool, "t"),
                    random.nextLong(),
                    string(random, pool, "GET /r"),
                    maybe(random, 4, "M"),
                    maybe(random, pool, "/r"),
                    maybe(random, 2, "HTTP/1."),
                    maybe(random, pool, "/s"),
                    100 + random.nextInt(500),
                    random.nextBoolean() ? null : (long) random.nextInt(1 << 30),
                    maybe(random, pool, "http://ref/"),
                    maybe(random, pool, "agent \u001b"),
                    maybe(random, pool, "v"),
                    random.nextInt(3) == 0 ? null : random.nextBoolean(),
                    random.nextBoolean() ? null : random.nextLong(Long.MAX_VALUE),
                    maybe(random, pool, "10.0.0."),
                    maybe(random, pool, "fwd ")));
        }
        return new RequestBatch(random.nextLong(), random.nextInt(1000), requests, random.nextInt(3));
    }

    private static String string(SplittableRandom random, int pool, String prefix) {
        return prefix + random.nextInt(pool);
    }

    private static String maybe(SplittableRandom random, int pool, String prefix) {
        return random.nextInt(5) == 0 ? null : string(random, pool, prefix);
    }
}
