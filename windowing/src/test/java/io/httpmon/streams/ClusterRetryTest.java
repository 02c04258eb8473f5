package io.httpmon.streams;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** Which stream-thread deaths are a cluster not ready yet (thread replaced) and which stop the service. */
class ClusterRetryTest {

    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    @Test
    void aBrokerStillFencedAfterARestartIsWaitedForThenItIsAFailure() {
        StreamsRunner.ClusterRetry retry = new StreamsRunner.ClusterRetry("alert");
        Throwable fenced = new StreamsException(
                "Could not create topic httpmon.alert-alerts-rules-changelog.",
                new InvalidReplicationFactorException("Unable to replicate the partition 1 time(s): All brokers are "
                        + "currently fenced, or have all their log directories cordoned."));
        assertTrue(retry.retries(fenced, 0));
        assertTrue(retry.retries(new StreamsException(new TimeoutException("metadata")), MINUTE));
        assertFalse(retry.retries(fenced, 3 * MINUTE), "two minutes of it: the cluster is not coming back");
    }

    @Test
    void aReplicationFactorTheClusterCannotHaveStopsTheServiceAtOnce() {
        StreamsRunner.ClusterRetry retry = new StreamsRunner.ClusterRetry("stats");
        assertFalse(retry.retries(
                new StreamsException(new InvalidReplicationFactorException(
                        "Replication factor: 3 larger than available brokers: 1.")),
                0));
        assertFalse(retry.retries(new IllegalStateException("a bug"), 0));
    }

    @Test
    void aCommitThatMetATransactionCoordinatorMovingIsRetriedAndAnotherOutageLaterGetsItsOwnPatience() {
        StreamsRunner.ClusterRetry retry = new StreamsRunner.ClusterRetry("alert");
        Throwable moved = new StreamsException(
                "Error encountered trying to commit a transaction",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));
        assertTrue(retry.retries(moved, 0), "a broker killed under a commit");
        retry.running();
        assertTrue(retry.retries(moved, 60 * MINUTE), "an hour later, another broker lost: retried again");
        assertFalse(retry.retries(moved, 63 * MINUTE), "but not for ever without running again");
    }
}
