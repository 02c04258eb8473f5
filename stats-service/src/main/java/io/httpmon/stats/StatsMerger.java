package io.httpmon.stats;

import io.httpmon.common.Times;
import io.httpmon.common.model.StatsWindow;
import io.httpmon.windowing.Dimension;
import io.httpmon.windowing.MergeProcessor;
import io.httpmon.windowing.PartialMerger;
import io.httpmon.windowing.TopItems;
import io.httpmon.windowing.WindowPartial;
import io.httpmon.windowing.WindowSpec;
import io.httpmon.windowing.Windowing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Record;

/** Turns each final window into one {@link StatsWindow}; passes the end of input on. */
final class StatsMerger extends MergeProcessor<StatsWindow> {

    private static final List<String> STATUS_CLASSES = List.of("2xx", "3xx", "4xx", "5xx");

    private final int top;

    StatsMerger(WindowSpec spec, String name, int partitions, int top) {
        super(spec, name, partitions);
        this.top = top;
    }

    @Override
    protected void onWindow(long windowStart, WindowPartial merged, long late) {
        StatsWindow stats = stats(spec(), windowStart, merged, late, top);
        context.forward(new Record<>(null, stats, windowStart + spec().sizeMs()));
    }

    @Override
    protected void onEndOfInput(long upTo) {
        context.forward(new Record<String, StatsWindow>(null, null, Math.max(upTo, 0), Windowing.endOfInputHeaders()));
    }

    static StatsWindow stats(WindowSpec spec, long windowStart, WindowPartial merged, long late, int top) {
        long end = windowStart + spec.sizeMs();
        long hits = merged == null ? 0 : merged.hits();
        Map<String, Long> status = new LinkedHashMap<>();
        Map<String, Long> statusCounts = items(merged, Dimension.STATUS);
        STATUS_CLASSES.forEach(c -> status.put(c, statusCounts.getOrDefault(c, 0L)));
        if (statusCounts.getOrDefault("other", 0L) > 0) {
            status.put("other", statusCounts.get("other"));
        }
        Map<String, Long> sections = TopItems.top(items(merged, Dimension.SECTION), top);
        Map<String, Long> users = TopItems.top(items(merged, Dimension.USER), top);
        return new StatsWindow(Times.iso(end), Times.iso(windowStart), Times.iso(end), hits,
                hits / (spec.sizeMs() / 1000.0),
                first(sections, 3), first(users, 3), status, sections,
                TopItems.top(items(merged, Dimension.RESOURCE), top), users,
                TopItems.top(items(merged, Dimension.METHOD), Integer.MAX_VALUE),
                merged == null ? 0 : merged.bytes(),
                merged == null ? 0 : PartialMerger.uniqueHosts(merged), late);
    }

    private static Map<String, Long> items(WindowPartial merged, Dimension dimension) {
        if (merged == null || merged.top() == null) {
            return Map.of();
        }
        return merged.top().getOrDefault(dimension.jsonName(), Map.of());
    }

    private static List<String> first(Map<String, Long> ordered, int n) {
        List<String> names = new ArrayList<>(ordered.keySet());
        return List.copyOf(names.subList(0, Math.min(n, names.size())));
    }
}
