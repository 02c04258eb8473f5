package io.httpmon.alert;

import io.httpmon.common.Control;
import io.httpmon.common.Times;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.windowing.Stragglers;
import io.httpmon.windowing.WindowPartial;
import io.httpmon.windowing.WindowSink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Evaluates every rule for every event-time second, in order, once the second's count is final everywhere (a span
 * of seconds without requests at once, see {@link #onQuiet}): {@code average(s)} is the requests of the rule's
 * window ending with {@code s}, divided by its length. A rule not firing whose average reaches its threshold fires;
 * a firing rule whose average falls below it resolves. Each transition is one {@link AlertEvent}.
 */
final class AlertSink implements WindowSink<AlertEvent> {

    private final List<AlertRule> rules;
    private final String ruleStoreName;
    private ProcessorContext<String, AlertEvent> context;
    private KeyValueStore<String, RuleState> ruleStore;
    private final Map<String, RuleState> states = new HashMap<>();

    AlertSink(String ruleStore, List<AlertRule> rules) {
        this.rules = rules;
        this.ruleStoreName = ruleStore;
    }

    @Override
    public void init(ProcessorContext<String, AlertEvent> context) {
        this.context = context;
        ruleStore = context.getStateStore(ruleStoreName);
        states.clear();
        for (AlertRule rule : rules) {
            RuleState state = ruleStore.get(rule.name());
            if (state == null || !state.hasWindow(rule.windowSeconds())) {
                state = RuleState.fresh(rule.windowSeconds()); // new rule, or its window was changed
            }
            states.put(rule.name(), state);
        }
    }

    @Override
    public void onWindow(long second, WindowPartial merged, Stragglers stragglers) {
        for (AlertRule rule : rules) {
            RuleState state = states.get(rule.name());
            if (step(rule, state, merged.hits(), second)) {
                ruleStore.put(rule.name(), state);
            }
        }
    }

    /**
     * Seconds without requests, however many: each rule's average only falls as the counts of its window leave it,
     * so after {@code window_seconds} quiet seconds it is 0 and stays so. At most that many steps per rule, whatever
     * the gap, with the same transitions as a second-by-second evaluation (a property test checks this).
     */
    @Override
    public void onQuiet(long from, long to, Stragglers stragglers) {
        long seconds = (to - from) / 1000;
        for (AlertRule rule : rules) {
            RuleState state = states.get(rule.name());
            long steps = Math.min(seconds, rule.windowSeconds());
            boolean changed = false;
            for (long i = 0; i < steps && (state.sum() != 0 || state.firing()); i++) {
                changed |= step(rule, state, 0, from + i * 1000);
            }
            if (changed) {
                ruleStore.put(rule.name(), state);
            }
        }
    }

    /** Never called: alerts are decided at grace (their windows are never revised; late requests are late). */
    @Override
    public void onRevision(long second, WindowPartial merged, int revision) {
    }

    /** One second with {@code hits} requests; true when the rule's state changed (to be saved). */
    private boolean step(AlertRule rule, RuleState state, long hits, long second) {
        if (hits == 0 && state.sum() == 0 && !state.firing()) {
            return false; // a quiet second in a quiet window changes nothing
        }
        state.push(hits);
        double average = (double) state.sum() / rule.windowSeconds();
        String at = Times.iso(second);
        if (!state.firing() && average >= rule.threshold()) {
            state.fire(at);
            emit(rule, AlertEvent.State.FIRING, average, at, at, null, second);
        } else if (state.firing() && average < rule.threshold()) {
            emit(rule, AlertEvent.State.RESOLVED, average, at, state.triggeredAt(), at, second);
            state.resolve();
        }
        return true;
    }

    private void emit(AlertRule rule, AlertEvent.State state, double average, String at, String triggeredAt,
            String recoveredAt, long second) {
        long hits = (long) Math.floor(average);
        String message = state == AlertEvent.State.FIRING
                ? "High traffic generated an alert - hits = " + hits + ", triggered at " + at
                : "High traffic alert recovered at " + at;
        AlertEvent event = new AlertEvent(rule.name(), state, hits, average, rule.threshold(), rule.windowSeconds(),
                at, triggeredAt, recoveredAt, message);
        context.forward(new Record<>(rule.name(), event, second));
    }

    @Override
    public void onEndOfInput(long upTo) {
        long time = Math.max(upTo, 0);
        context.forward(new Record<String, AlertEvent>(null, null, time, Control.endOfInput(time).headers()));
    }
}
