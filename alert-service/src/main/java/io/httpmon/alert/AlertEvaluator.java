package io.httpmon.alert;

import io.httpmon.common.config.AlertRule;
import io.httpmon.common.Times;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.windowing.MergeProcessor;
import io.httpmon.windowing.Stragglers;
import io.httpmon.windowing.WindowPartial;
import io.httpmon.windowing.WindowSpec;
import io.httpmon.windowing.Windowing;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Evaluates every rule for every event-time second, in order, once the second's count is final everywhere (a span
 * of seconds without requests at once, see {@link #onQuiet}):
 * {@code average(s)} is the requests of the rule's window ending with {@code s}, divided by its length. A rule not
 * firing whose average reaches its threshold fires; a firing rule whose average falls below it resolves. Each
 * transition is one {@link AlertEvent}.
 */
final class AlertEvaluator extends MergeProcessor<AlertEvent> {

    private final List<AlertRule> rules;
    private final String ruleStoreName;
    private KeyValueStore<String, RuleState> ruleStore;
    private final Map<String, RuleState> states = new HashMap<>();

    AlertEvaluator(WindowSpec spec, String name, String ruleStore, int partitions, List<AlertRule> rules) {
        super(spec, name, partitions);
        this.rules = rules;
        this.ruleStoreName = ruleStore;
    }

    @Override
    public void init(ProcessorContext<String, AlertEvent> context) {
        super.init(context);
        ruleStore = context.getStateStore(ruleStoreName);
        for (AlertRule rule : rules) {
            RuleState state = ruleStore.get(rule.name());
            if (state == null || state.ring == null || state.ring.length != rule.windowSeconds()) {
                state = RuleState.fresh(rule.windowSeconds()); // new rule, or its window was changed
            }
            states.put(rule.name(), state);
        }
    }

    @Override
    protected void onWindow(long second, WindowPartial merged, Stragglers stragglers) {
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
    protected void onQuiet(long from, long to, Stragglers stragglers) {
        long seconds = (to - from) / 1000;
        for (AlertRule rule : rules) {
            RuleState state = states.get(rule.name());
            long steps = Math.min(seconds, rule.windowSeconds());
            boolean changed = false;
            for (long i = 0; i < steps && (state.sum != 0 || state.firing); i++) {
                changed |= step(rule, state, 0, from + i * 1000);
            }
            if (changed) {
                ruleStore.put(rule.name(), state);
            }
        }
    }

    /** Never called: alerts are decided at grace (their windows are never revised; late requests are late). */
    @Override
    protected void onRevision(long second, WindowPartial merged, int revision) {
    }

    /** One second with {@code hits} requests; true when the rule's state changed (to be saved). */
    private boolean step(AlertRule rule, RuleState state, long hits, long second) {
        if (hits == 0 && state.sum == 0 && !state.firing) {
            return false; // a quiet second in a quiet window changes nothing
        }
        state.push(hits);
        double average = (double) state.sum / rule.windowSeconds();
        String at = Times.iso(second);
        if (!state.firing && average >= rule.threshold()) {
            state.firing = true;
            state.triggeredAt = at;
            emit(rule, AlertEvent.FIRING, average, at, at, null, second);
        } else if (state.firing && average < rule.threshold()) {
            state.firing = false;
            emit(rule, AlertEvent.RESOLVED, average, at, state.triggeredAt, at, second);
            state.triggeredAt = null;
        }
        return true;
    }

    private void emit(AlertRule rule, String state, double average, String at, String triggeredAt,
            String recoveredAt, long second) {
        long hits = (long) Math.floor(average);
        String message = AlertEvent.FIRING.equals(state)
                ? "High traffic generated an alert - hits = " + hits + ", triggered at " + at
                : "High traffic alert recovered at " + at;
        AlertEvent event = new AlertEvent(rule.name(), state, hits, average, rule.threshold(), rule.windowSeconds(),
                at, triggeredAt, recoveredAt, message);
        context.forward(new Record<>(rule.name(), event, second));
    }

    @Override
    protected void onEndOfInput(long upTo) {
        context.forward(new Record<String, AlertEvent>(null, null, Math.max(upTo, 0), Windowing.endOfInputHeaders()));
    }
}
