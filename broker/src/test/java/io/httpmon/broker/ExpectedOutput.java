package io.httpmon.broker;

import io.httpmon.common.Times;
import io.httpmon.common.config.AlertRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the spec says a replay of known per-second counts must give, computed directly from the counts: the oracle
 * of the pipeline tests, written apart from the services' code so that it does not share their mistakes.
 */
public final class ExpectedOutput {

    private ExpectedOutput() {}

    /** Hits of each tumbling window of {@code interval} seconds, the first starting at second 0. */
    public static List<Long> windowHits(int[] perSecond, int interval) {
        List<Long> hits = new ArrayList<>();
        for (int w = 0; w < perSecond.length; w += interval) {
            long sum = 0;
            for (int s = w; s < Math.min(perSecond.length, w + interval); s++) {
                sum += perSecond[s];
            }
            hits.add(sum);
        }
        return hits;
    }

    /**
     * The alert messages of {@code rule}: at each second, the average of the last {@code windowSeconds} seconds
     * (missing seconds before the start count as 0) fires at or above the threshold and recovers below it.
     */
    public static List<String> transitions(int[] perSecond, Instant start, AlertRule rule) {
        List<String> out = new ArrayList<>();
        boolean firing = false;
        long sum = 0;
        for (int s = 0; s < perSecond.length; s++) {
            sum += perSecond[s] - (s >= rule.windowSeconds() ? perSecond[s - rule.windowSeconds()] : 0);
            double average = (double) sum / rule.windowSeconds();
            String at = Times.iso(start.plusSeconds(s).toEpochMilli());
            if (!firing && average >= rule.threshold()) {
                firing = true;
                out.add("High traffic generated an alert - hits = " + (long) Math.floor(average) + ", triggered at "
                        + at);
            } else if (firing && average < rule.threshold()) {
                firing = false;
                out.add("High traffic alert recovered at " + at);
            }
        }
        return out;
    }
}
