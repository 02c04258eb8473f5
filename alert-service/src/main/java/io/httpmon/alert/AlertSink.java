package io.httpmon.alert;

import io.httpmon.common.Control;
import io.httpmon.common.JsonSerde;
import io.httpmon.common.Times;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.RuleDefinition;
import io.httpmon.common.model.SecondCounts;
import io.httpmon.common.ops.ServiceMetrics;
import io.httpmon.windowing.Stragglers;
import io.httpmon.windowing.WindowOutput;
import io.httpmon.windowing.WindowPartial;
import io.httpmon.windowing.WindowSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every rule for every event-time second, in order, once the second's counts are final everywhere (a span
 * of seconds without requests at once, see {@link #onQuiet}). A rule's measure over its window ending with second
 * {@code s} (average hits per second, or the share of errors) past its threshold makes it pending, and firing once
 * that has held {@code for} seconds; a firing rule resolves when its measure passes its recovery level the other
 * way. Each transition is one {@link AlertEvent}. Each second with requests is also one {@link SecondCounts}.
 *
 * <p>The rules come from the {@link RuleBook}: a change is read before the next second is evaluated and takes
 * effect from that second (seconds already evaluated are not evaluated again). A rule that now measures something
 * else starts counting afresh; a firing rule deleted, or given other labels, or measuring something else, resolves.
 */
final class AlertSink implements WindowSink {

    private static final Logger log = LoggerFactory.getLogger(AlertSink.class);
    private static final JsonSerde<RuleDefinition> DEFINITIONS = JsonSerde.of(RuleDefinition.class);

    private final RuleBook book;
    private final String stateStoreName;
    private final WindowOutput<SecondCounts> seconds;
    private final WindowOutput<AlertEvent> events;
    private Context context;
    private KeyValueStore<String, RuleState> stateStore;
    private KeyValueStore<String, byte[]> bookStore;
    /** The rules in force, in name order (the order of their transitions within a second). */
    private final Map<String, AlertRule> rules = new TreeMap<>();

    private final Map<String, RuleState> states = new HashMap<>();
    /** The rules' JSON as last read from the book. */
    private Map<String, byte[]> read = new HashMap<>();

    private long readVersion = -1;
    private final Set<String> saidUnreadable = new HashSet<>();

    AlertSink(RuleBook book, String stateStore, WindowOutput<SecondCounts> seconds, WindowOutput<AlertEvent> events) {
        this.book = book;
        this.stateStoreName = stateStore;
        this.seconds = seconds;
        this.events = events;
    }

    @Override
    public void init(Context context) {
        this.context = context;
        stateStore = context.getStateStore(stateStoreName);
        bookStore = context.getStateStore(RuleBook.STORE);
        rules.clear();
        states.clear();
        read = new HashMap<>();
        readVersion = -1;
        try (KeyValueIterator<String, RuleState> it = stateStore.all()) {
            it.forEachRemaining(kv -> states.put(kv.key, kv.value));
        }
    }

    @Override
    public void onWindow(long second, WindowPartial merged, Stragglers stragglers) {
        readRules(second);
        Map<AlertCounter.Requests, Long> items = merged.items(AlertCounter.REQUESTS);
        context.send(seconds, new Record<>(null, secondCounts(second, merged.hits(), items), second));
        for (AlertRule rule : rules.values()) {
            RuleState state = states.get(rule.name());
            long counted = 0;
            long total = 0;
            if (rule.section() == null && rule.statuses().isEmpty()) {
                counted = merged.hits();
                total = merged.hits();
            } else {
                for (var item : items.entrySet()) {
                    AlertCounter.Requests requests = item.getKey();
                    if (rule.section() == null || rule.section().equals(requests.section())) {
                        total += item.getValue();
                        if (rule.statuses().isEmpty()
                                || rule.statuses()
                                        .contains(requests.statusClass().label())) {
                            counted += item.getValue();
                        }
                    }
                }
            }
            if (step(rule, state, counted, total, second)) {
                stateStore.put(rule.name(), state);
            }
        }
    }

    /** The second's requests by section and status class, for {@code hits-per-second}. */
    private static SecondCounts secondCounts(long second, long hits, Map<AlertCounter.Requests, Long> items) {
        Map<String, Map<String, Long>> sections = new TreeMap<>();
        items.forEach((requests, n) -> sections.computeIfAbsent(
                        requests.section() == null ? "" : requests.section(), s -> new TreeMap<>())
                .merge(requests.statusClass().label(), n, Long::sum));
        return new SecondCounts(Times.iso(second), hits, sections);
    }

    /**
     * Seconds without requests, however many: a rule's window holds no request after {@code window} of them, and
     * then its verdict no longer changes once {@code for} more have passed. So at most {@code window + for + 1}
     * steps per rule, whatever the gap, with the same transitions as a second-by-second evaluation (a property test
     * checks this).
     */
    @Override
    public void onQuiet(long from, long to, Stragglers stragglers) {
        readRules(from);
        long seconds = (to - from) / 1000;
        for (AlertRule rule : rules.values()) {
            RuleState state = states.get(rule.name());
            long steps = Math.min(seconds, (long) rule.windowSeconds() + rule.forSeconds() + 1);
            boolean changed = false;
            for (long i = 0; i < steps && !steady(rule, state); i++) {
                changed |= step(rule, state, 0, 0, from + i * 1000);
            }
            if (changed) {
                stateStore.put(rule.name(), state);
            }
        }
    }

    /** Never called: alerts are decided at grace (their windows are never revised; late requests are late). */
    @Override
    public void onRevision(long second, WindowPartial merged, int revision) {}

    @Override
    public void onEndOfInput(long upTo) {
        onEndOfInput(upTo, Set.of());
    }

    @Override
    public void onEndOfInput(long upTo, Set<String> sources) {
        long time = Math.max(upTo, 0);
        context.send(
                events,
                new Record<String, AlertEvent>(
                        null,
                        null,
                        time,
                        Control.withEndedSources(Control.endOfInput(time).headers(), sources)));
    }

    /**
     * Whether a second without requests would change nothing: the window holds none, and the verdict on an empty
     * window is already in force (nothing pending that it would confirm or cancel).
     */
    private static boolean steady(AlertRule rule, RuleState state) {
        if (!state.quiet()) {
            return false;
        }
        return switch (rule.kind()) {
            case HIGH_TRAFFIC, STATUS_RATE -> !state.firing() && state.pendingSince() < 0;
            case LOW_TRAFFIC -> state.full() && state.firing();
            case ERROR_RATIO -> true; // no requests: no verdict, nothing moves
        };
    }

    /** One second: {@code counted} requests the rule counts, of {@code total}; true when the state changed. */
    private boolean step(AlertRule rule, RuleState state, long counted, long total, long second) {
        if (counted == 0 && total == 0 && steady(rule, state)) {
            return false;
        }
        state.push(counted, total);
        Double value = measure(rule, state);
        if (value == null) {
            return true; // too few requests (error ratio) or not a whole window yet (low traffic): no verdict
        }
        if (!state.firing()) {
            if (rule.breached(value)) {
                if (state.pendingSince() < 0) {
                    state.pending(second);
                }
                if (second - state.pendingSince() >= rule.forSeconds() * 1000L) {
                    String at = Times.iso(second);
                    state.fire(at);
                    emit(rule, state, AlertEvent.State.FIRING, value, second, null);
                }
            } else {
                state.pending(-1);
            }
        } else if (rule.recovered(value)) {
            emit(rule, state, AlertEvent.State.RESOLVED, value, second, null);
            state.resolve();
        }
        return true;
    }

    /** The rule's measure over its window, or null when it gives no verdict. */
    private static Double measure(AlertRule rule, RuleState state) {
        return switch (rule.kind()) {
            case ERROR_RATIO ->
                state.totalSum() == 0 || state.totalSum() < rule.minHits()
                        ? null
                        : (double) state.sum() / state.totalSum();
            case LOW_TRAFFIC -> state.full() ? (double) state.sum() / rule.windowSeconds() : null;
            case HIGH_TRAFFIC, STATUS_RATE -> (double) state.sum() / rule.windowSeconds();
        };
    }

    /** The measure of a rule's window as it stands (0 when it gives no verdict). */
    private static double lastValue(RuleState state) {
        Double value = measure(state.rule(), state);
        return value != null ? value : 0;
    }

    private void emit(
            AlertRule rule, RuleState state, AlertEvent.State transition, double value, long second, String why) {
        String at = Times.iso(second);
        double average = (double) state.sum() / rule.windowSeconds();
        long hits = (long) Math.floor(average);
        boolean firing = transition == AlertEvent.State.FIRING;
        String message = firing ? AlertMessages.firing(rule, hits, value, at) : AlertMessages.resolved(rule, at, why);
        String summary = AlertMessages.summary(rule, value, at);
        Map<String, String> labels = rule.allLabels();
        String triggeredAt = firing ? at : state.triggeredAt();
        AlertEvent event = new AlertEvent(
                rule.name(),
                transition,
                hits,
                average,
                rule.threshold(),
                rule.windowSeconds(),
                at,
                triggeredAt,
                firing ? null : at,
                message,
                rule.kind().key(),
                value,
                firing ? "firing" : "resolved",
                labels,
                Map.of("summary", summary != null ? summary : message),
                triggeredAt,
                firing ? null : at,
                AlertEvent.fingerprint(labels));
        context.send(events, new Record<>(rule.name(), event, second));
        ServiceMetrics.TRANSITIONS
                .labelValues(rule.name(), firing ? "firing" : "resolved")
                .inc();
    }

    /** Takes in the changes of the rule book since the last look, at {@code second}. */
    private void readRules(long second) {
        long version = book.version();
        if (version == readVersion) {
            return;
        }
        readVersion = version;
        Map<String, byte[]> now = RuleBook.read(bookStore);
        for (var entry : now.entrySet()) {
            if (Arrays.equals(entry.getValue(), read.get(entry.getKey()))) {
                continue;
            }
            RuleDefinition definition;
            try {
                definition = DEFINITIONS.deserialize(RuleBook.STORE, entry.getValue());
            } catch (SerializationException | io.httpmon.common.UsageException e) {
                if (saidUnreadable.add(entry.getKey())) {
                    log.warn(
                            "alert-rules: the record of {} is not a valid rule, ignored: {}",
                            entry.getKey(),
                            e.getMessage());
                }
                now.put(entry.getKey(), read.get(entry.getKey())); // keep what was in force
                continue;
            }
            if (definition == null
                    || definition.rule() == null
                    || !definition.rule().name().equals(entry.getKey())) {
                continue;
            }
            apply(definition.rule(), second);
        }
        List<String> gone = new ArrayList<>();
        for (String name : states.keySet()) {
            if (now.get(name) == null) {
                gone.add(name);
            }
        }
        gone.forEach(name -> delete(name, second));
        now.values().removeIf(java.util.Objects::isNull);
        read = now;
    }

    private void apply(AlertRule rule, long second) {
        RuleState state = states.get(rule.name());
        if (state != null
                && state.firing()
                && state.rule() != null
                && (!state.counts(rule) || !state.rule().allLabels().equals(rule.allLabels()))) {
            emit(state.rule(), state, AlertEvent.State.RESOLVED, lastValue(state), second, "rule changed");
            state.resolve();
        }
        if (state == null || !state.counts(rule)) {
            state = RuleState.fresh(rule);
        }
        state.rule(rule);
        states.put(rule.name(), state);
        rules.put(rule.name(), rule);
        stateStore.put(rule.name(), state);
    }

    private void delete(String name, long second) {
        RuleState state = states.remove(name);
        rules.remove(name);
        if (state != null && state.firing() && state.rule() != null) {
            emit(state.rule(), state, AlertEvent.State.RESOLVED, lastValue(state), second, "rule deleted");
        }
        stateStore.delete(name);
    }
}
