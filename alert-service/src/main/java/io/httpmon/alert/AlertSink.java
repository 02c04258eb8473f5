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
 *
 * <p>A {@code client_rate} rule is evaluated per client ({@link ClientState}, stored apart under the rule's name and
 * the client): each client at or above its threshold is an alert of its own, the client in its labels, for at most
 * {@code max_alerts} clients at once; the clients over the threshold beyond them are one more alert, whose value is
 * how many they were when it fired. A freed place goes to the next client over the threshold (in the clients'
 * order), so the alerts stay bounded whatever the flood, and every one resolves.
 */
final class AlertSink implements WindowSink {

    private static final Logger log = LoggerFactory.getLogger(AlertSink.class);
    private static final JsonSerde<RuleDefinition> DEFINITIONS = JsonSerde.of(RuleDefinition.class);

    private final RuleBook book;
    private final String stateStoreName;
    private final String clientStoreName;
    private final WindowOutput<SecondCounts> seconds;
    private final WindowOutput<AlertEvent> events;
    private Context context;
    private KeyValueStore<String, RuleState> stateStore;
    /** Each second's requests by client (key: the second), kept a client_rate window: what a restart rebuilds from. */
    private KeyValueStore<String, ClientCounts> clientStore;

    /** The seconds {@link #clientStore} holds, oldest first. */
    private final java.util.TreeSet<Long> clientSeconds = new java.util.TreeSet<>();

    private KeyValueStore<String, byte[]> bookStore;
    /** The rules in force, in name order (the order of their transitions within a second). */
    private final Map<String, AlertRule> rules = new TreeMap<>();

    private final Map<String, RuleState> states = new HashMap<>();
    /** client_rate rules' clients with something in their window, pending or firing, by rule, in client order. */
    private final Map<String, ClientTable> clients = new HashMap<>();
    /**
     * Per client_rate rule, by second, the clients with requests in it: the ones whose window loses a second when it
     * leaves, so a step looks at the clients whose counts changed, not at every client in the window.
     */
    private final Map<String, TreeMap<Long, List<ClientState>>> expiries = new HashMap<>();
    /** Per client_rate rule, its pending and firing clients (the ones a step looks at whatever their counts). */
    private final Map<String, Set<String>> flagged = new HashMap<>();
    /** The client_rate rules whose next step looks at every client (after a restart or a change of the rule). */
    private final Set<String> fullPass = new HashSet<>();
    /**
     * The seconds {@link #clientStore} holds, as read or kept: where a client first tracked gets the requests of its
     * window's earlier seconds from.
     */
    private final TreeMap<Long, Map<String, Long>> recentCounts = new TreeMap<>();
    /**
     * Per client_rate rule, the level from which a client is tracked: a client none of whose seconds in the window
     * reached the rule's threshold has an average below it (a sum of window-many seconds, each below the threshold),
     * so it is tracked from its first second at the threshold on, its earlier seconds taken from
     * {@link #recentCounts}. The lowest threshold the rule had since its table began (a lowered one tracks the
     * others then).
     */
    private final Map<String, Double> trackedFrom = new HashMap<>();
    /** Counts client_rate steps: a client's {@link ClientState#mark} says whether this step already took it. */
    private long step;
    /** The rules' JSON as last read from the book. */
    private Map<String, byte[]> read = new HashMap<>();

    private long readVersion = -1;
    private final Set<String> saidUnreadable = new HashSet<>();

    AlertSink(
            RuleBook book,
            String stateStore,
            String clientStore,
            WindowOutput<SecondCounts> seconds,
            WindowOutput<AlertEvent> events) {
        this.book = book;
        this.stateStoreName = stateStore;
        this.clientStoreName = clientStore;
        this.seconds = seconds;
        this.events = events;
    }

    @Override
    public void init(Context context) {
        this.context = context;
        stateStore = context.getStateStore(stateStoreName);
        clientStore = context.getStateStore(clientStoreName);
        bookStore = context.getStateStore(RuleBook.STORE);
        rules.clear();
        states.clear();
        clients.clear();
        expiries.clear();
        flagged.clear();
        fullPass.clear();
        clientSeconds.clear();
        recentCounts.clear();
        trackedFrom.clear();
        read = new HashMap<>();
        readVersion = -1;
        try (KeyValueIterator<String, RuleState> it = stateStore.all()) {
            it.forEachRemaining(kv -> states.put(kv.key, kv.value));
        }
        // The client_rate rules' clients, as they were: every stored second since each began counting (the oldest
        // leave its window at its next step), then its pending and firing clients.
        TreeMap<Long, ClientCounts> stored = new TreeMap<>();
        try (KeyValueIterator<String, ClientCounts> it = clientStore.all()) {
            it.forEachRemaining(kv -> stored.put(Long.parseLong(kv.key), kv.value));
        }
        clientSeconds.addAll(stored.keySet());
        stored.forEach((second, counts) -> recentCounts.put(second, counts.counts()));
        states.forEach((name, state) -> {
            if (state.rule() == null || state.rule().kind() != AlertRule.Kind.CLIENT_RATE || state.clientsSince() < 0) {
                return;
            }
            ClientTable tracked = new ClientTable();
            TreeMap<Long, List<ClientState>> expiring = new TreeMap<>();
            stored.tailMap(state.clientsSince(), true)
                    .forEach((second, counts) ->
                            counts.counts().forEach((client, n) -> track(tracked, expiring, client, second, n)));
            state.clientStatuses().forEach((client, status) -> {
                ClientState c = tracked.getOrAdd(client);
                c.flagged = true;
                c.pending(status.pendingSince());
                if (status.triggeredAt() != null) {
                    c.fire(status.triggeredAt());
                    c.pending(status.pendingSince());
                }
            });
            clients.put(name, tracked);
            // Every client of the stored seconds is tracked (none missing), new ones from the threshold on.
            trackedFrom.put(name, state.rule().threshold());
            expiries.put(name, expiring);
            flagged.put(name, new HashSet<>(state.clientStatuses().keySet()));
            fullPass.add(name);
        });
    }

    /** {@code n} requests of {@code client} in {@code second}, and when that second leaves its window. */
    private static void track(
            ClientTable tracked, TreeMap<Long, List<ClientState>> expiring, String client, long second, long n) {
        ClientState c = tracked.getOrAdd(client);
        c.add(second, n);
        expiring.computeIfAbsent(second, s -> new ArrayList<>()).add(c);
    }

    /**
     * Starts tracking {@code client} in a step of second {@code second}: its requests in the window's earlier seconds
     * (after {@code oldest}, from the rule's start of counting {@code since}), from {@link #recentCounts}.
     */
    private ClientState trackFrom(
            ClientTable tracked,
            TreeMap<Long, List<ClientState>> expiring,
            String client,
            long since,
            long oldest,
            long second) {
        ClientState c = tracked.getOrAdd(client);
        for (Map.Entry<Long, Map<String, Long>> earlier : recentCounts
                .subMap(Math.max(oldest, since - 1), false, second, false)
                .entrySet()) {
            Long n = earlier.getValue().get(client);
            if (n != null) {
                c.add(earlier.getKey(), n);
                expiring.computeIfAbsent(earlier.getKey(), s -> new ArrayList<>())
                        .add(c);
            }
        }
        return c;
    }

    /**
     * Keeps second {@code second}'s counts by client for a restart, and forgets the seconds older than every
     * client_rate window: one record per second, whatever the clients.
     */
    private void keepClientSecond(long second, Map<String, Long> counts) {
        int longest = 0;
        for (AlertRule rule : rules.values()) {
            if (rule.kind() == AlertRule.Kind.CLIENT_RATE) {
                longest = Math.max(longest, rule.windowSeconds());
            }
        }
        if (!counts.isEmpty() && longest > 0) {
            clientStore.put(Long.toString(second), new ClientCounts(counts));
            clientSeconds.add(second);
            recentCounts.put(second, counts);
        }
        while (!clientSeconds.isEmpty() && clientSeconds.first() <= second - longest * 1000L) {
            long gone = clientSeconds.pollFirst();
            clientStore.delete(Long.toString(gone));
            recentCounts.remove(gone);
        }
    }

    /** One second's requests by client, as the client store keeps them. */
    record ClientCounts(
            @com.fasterxml.jackson.annotation.JsonProperty("counts")
            Map<String, Long> counts) {}

    @Override
    public void onWindow(long second, WindowPartial merged, Stragglers stragglers) {
        readRules(second);
        Map<AlertCounter.Requests, Long> items = merged.items(AlertCounter.REQUESTS);
        context.send(seconds, new Record<>(null, secondCounts(second, merged.hits(), items), second));
        Map<String, Long> clientCounts = null;
        for (AlertRule rule : rules.values()) {
            RuleState state = states.get(rule.name());
            if (rule.kind() == AlertRule.Kind.CLIENT_RATE) {
                if (clientCounts == null) {
                    clientCounts = merged.items(AlertCounter.CLIENTS);
                    keepClientSecond(second, clientCounts);
                }
                stepClients(rule, state, clientCounts, second);
                continue;
            }
            if (rule.kind() == AlertRule.Kind.LATENCY) {
                long[] times = times(rule, merged.items(AlertCounter.LATENCY));
                long timed = 0;
                for (int i = 1; times != null && i < times.length; i += 2) {
                    timed += times[i];
                }
                if (step(rule, state, timed, timed, times, second)) {
                    stateStore.put(rule.name(), state);
                }
                continue;
            }
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
            if (step(rule, state, counted, total, null, second)) {
                stateStore.put(rule.name(), state);
            }
        }
    }

    /** A latency rule's response times of one second, {bucket, count...} in its section; null without any. */
    private static long[] times(AlertRule rule, Map<AlertCounter.Latency, Long> items) {
        Map<Integer, Long> buckets = new TreeMap<>();
        items.forEach((latency, n) -> {
            if (rule.section() == null || rule.section().equals(latency.section())) {
                buckets.merge(latency.bucket(), n, Long::sum);
            }
        });
        if (buckets.isEmpty()) {
            return null;
        }
        long[] times = new long[buckets.size() * 2];
        int i = 0;
        for (var bucket : buckets.entrySet()) {
            times[i++] = bucket.getKey();
            times[i++] = bucket.getValue();
        }
        return times;
    }

    /** Client order: the order of a step's recoveries and of the places given to clients over the threshold. */
    private static final java.util.Comparator<ClientState> BY_NAME = java.util.Comparator.comparing(ClientState::name);

    /**
     * One second of a client_rate rule: {@code counts} requests by client. The clients looked at are those whose
     * window changed (requests in this second, a second leaving the window) and those pending or firing: the others'
     * verdict cannot have changed, so a step costs what changed, not the number of clients in the window (a 60 s
     * window over a busy site holds tens of thousands). Firing clients first (a recovery frees a place), then the
     * others in client order, as if every client were looked at.
     */
    private void stepClients(AlertRule rule, RuleState state, Map<String, Long> counts, long second) {
        String name = rule.name();
        ClientTable tracked = clients.get(name);
        if (tracked == null) {
            tracked = new ClientTable();
            clients.put(name, tracked);
            trackedFrom.put(name, rule.threshold());
        }
        TreeMap<Long, List<ClientState>> expiring = expiries.computeIfAbsent(name, r -> new TreeMap<>());
        Set<String> pendingOrFiring = flagged.computeIfAbsent(name, r -> new HashSet<>());
        boolean statusChanged = false;
        if (state.clientsSince() < 0) {
            state.clientsFrom(second);
            statusChanged = true;
        }
        long thisStep = ++step;
        long oldest = second - rule.windowSeconds() * 1000L;
        if (rule.threshold() < trackedFrom.get(name)) {
            // A lowered threshold: the clients left untracked under the old one, with their window's seconds (the
            // full pass that follows a change of the rule looks at them).
            for (Map<String, Long> earlier :
                    recentCounts.subMap(oldest, false, second, false).values()) {
                for (String client : earlier.keySet()) {
                    if (tracked.get(client) == null) {
                        trackFrom(tracked, expiring, client, state.clientsSince(), oldest, second);
                    }
                }
            }
            trackedFrom.put(name, rule.threshold());
        }
        double level = trackedFrom.get(name);
        // The clients whose window changed: the ones with requests in this second, and, among those losing a second
        // from their window, the pending and firing ones (a smaller sum cannot make a client over the threshold;
        // one whose window empties is forgotten here). Each name is hashed once per step, on arrival; a client not
        // tracked stays so while below the level (most clients of a busy site: no state, no table churn).
        List<ClientState> changed = new ArrayList<>(16);
        if (!counts.isEmpty()) {
            List<ClientState> thisSecond = expiring.computeIfAbsent(second, s -> new ArrayList<>());
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                String client = e.getKey();
                long n = e.getValue();
                ClientState c = tracked.get(client);
                if (c == null) {
                    if (n < level) {
                        continue;
                    }
                    c = trackFrom(tracked, expiring, client, state.clientsSince(), oldest, second);
                }
                c.add(second, n);
                thisSecond.add(c);
                c.mark = thisStep;
                changed.add(c);
            }
        }
        java.util.NavigableMap<Long, List<ClientState>> leaving = expiring.headMap(oldest, true);
        for (List<ClientState> left : leaving.values()) {
            for (ClientState c : left) {
                // a client forgotten since (its window emptied) has nothing left to expire
                if (!c.expireUpTo(oldest)) {
                    continue;
                }
                if (c.flagged) {
                    if (c.mark != thisStep) {
                        c.mark = thisStep;
                        changed.add(c);
                    }
                } else if (c.idle()) {
                    tracked.remove(c);
                }
            }
        }
        leaving.clear();
        if (fullPass.remove(name)) {
            tracked.forEach(c -> {
                if (c.mark != thisStep) {
                    c.mark = thisStep;
                    changed.add(c);
                }
            });
        }
        // Recoveries, in client order.
        List<ClientState> recovering = new ArrayList<>();
        for (ClientState c : changed) {
            if (c.firing() && rule.recovered((double) c.sum() / rule.windowSeconds())) {
                recovering.add(c);
            }
        }
        recovering.sort(BY_NAME);
        for (ClientState c : recovering) {
            emitClient(
                    rule,
                    c.name(),
                    c,
                    AlertEvent.State.RESOLVED,
                    (double) c.sum() / rule.windowSeconds(),
                    second,
                    null);
            c.resolve();
            statusChanged = true;
        }
        int firing = 0;
        for (String client : pendingOrFiring) {
            if (tracked.get(client).firing()) {
                firing++;
            }
        }
        // The others: below the threshold, no longer pending; at or above it, pending, then firing where a place is
        // free, in client order (a place goes to the first client in order).
        List<ClientState> candidates = changed;
        for (String client : pendingOrFiring) {
            ClientState c = tracked.get(client);
            if (c.mark != thisStep) {
                c.mark = thisStep;
                candidates.add(c);
            }
        }
        List<ClientState> over = new ArrayList<>();
        for (ClientState c : candidates) {
            if (c.firing()) {
                continue;
            }
            if (rule.breached((double) c.sum() / rule.windowSeconds())) {
                over.add(c);
            } else if (c.pendingSince() >= 0) {
                c.pending(-1);
                statusChanged = true;
            }
        }
        over.sort(BY_NAME);
        int beyond = 0;
        for (ClientState c : over) {
            double value = (double) c.sum() / rule.windowSeconds();
            if (c.pendingSince() < 0) {
                c.pending(second);
                statusChanged = true;
            }
            if (second - c.pendingSince() >= rule.forSeconds() * 1000L) {
                if (firing < rule.maxAlerts()) {
                    c.fire(Times.iso(second));
                    emitClient(rule, c.name(), c, AlertEvent.State.FIRING, value, second, null);
                    statusChanged = true;
                    firing++;
                } else {
                    beyond++;
                }
            }
        }
        boolean ruleChanged = false;
        if (beyond > 0 && !state.firing()) {
            state.fire(Times.iso(second));
            emitBeyond(rule, state, AlertEvent.State.FIRING, beyond, second, null);
            ruleChanged = true;
        } else if (beyond == 0 && state.firing()) {
            emitBeyond(rule, state, AlertEvent.State.RESOLVED, 0, second, null);
            state.resolve();
            ruleChanged = true;
        }
        for (ClientState c : candidates) {
            boolean nowFlagged = c.pendingOrFiring();
            if (nowFlagged != c.flagged) {
                c.flagged = nowFlagged;
                if (nowFlagged) {
                    pendingOrFiring.add(c.name());
                } else {
                    pendingOrFiring.remove(c.name());
                }
            }
            if (!nowFlagged && c.idle()) {
                tracked.remove(c);
            }
        }
        if (statusChanged) {
            Map<String, RuleState.ClientStatus> statuses = new TreeMap<>();
            for (String client : pendingOrFiring) {
                ClientState c = tracked.get(client);
                statuses.put(client, new RuleState.ClientStatus(c.pendingSince(), c.triggeredAt()));
            }
            state.clientStatuses(statuses);
        }
        if (ruleChanged || statusChanged) {
            stateStore.put(rule.name(), state);
        }
    }

    /** Resolves a client_rate rule's firing alerts ({@code why}) and forgets its clients. */
    private void dropClients(AlertRule rule, RuleState state, long second, String why) {
        ClientTable tracked = clients.remove(rule.name());
        trackedFrom.remove(rule.name());
        expiries.remove(rule.name());
        flagged.remove(rule.name());
        if (tracked != null) {
            for (ClientState client : tracked.byName()) {
                if (client.firing()) {
                    double value = (double) client.sum() / rule.windowSeconds();
                    emitClient(rule, client.name(), client, AlertEvent.State.RESOLVED, value, second, why);
                }
            }
        }
        if (state != null) {
            state.clientsReset();
        }
        if (state != null && state.firing()) {
            emitBeyond(rule, state, AlertEvent.State.RESOLVED, 0, second, why);
            state.resolve();
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
                if (rule.kind() == AlertRule.Kind.CLIENT_RATE) {
                    stepClients(rule, state, Map.of(), from + i * 1000);
                } else {
                    changed |= step(rule, state, 0, 0, null, from + i * 1000);
                }
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
    private boolean steady(AlertRule rule, RuleState state) {
        if (rule.kind() == AlertRule.Kind.CLIENT_RATE) {
            ClientTable tracked = clients.get(rule.name());
            return (tracked == null || tracked.isEmpty()) && !state.firing();
        }
        if (!state.quiet()) {
            return false;
        }
        return switch (rule.kind()) {
            case HIGH_TRAFFIC, STATUS_RATE -> !state.firing() && state.pendingSince() < 0;
            case LOW_TRAFFIC -> state.full() && state.firing();
            case ERROR_RATIO, LATENCY -> true; // no requests: no verdict, nothing moves
            case CLIENT_RATE -> throw new IllegalStateException("client_rate rules are evaluated per client");
        };
    }

    /**
     * One second: {@code counted} requests the rule counts, of {@code total}, and for a latency rule their response
     * times ({@link RuleState#push(long, long, long[])}); true when the state changed.
     */
    private boolean step(AlertRule rule, RuleState state, long counted, long total, long[] times, long second) {
        if (counted == 0 && total == 0 && steady(rule, state)) {
            return false;
        }
        state.push(counted, total, times);
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
            case LATENCY ->
                state.sum() == 0 || state.sum() < rule.minHits() ? null : state.quantileMillis(rule.quantile());
            case CLIENT_RATE -> null; // per client
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
        String summary = AlertMessages.summary(rule, value, at, null);
        send(rule, transition, hits, average, value, second, state.triggeredAt(), message, summary, rule.allLabels());
    }

    /** A client_rate rule's transition for one client: its labels name the client. */
    private void emitClient(
            AlertRule rule,
            String client,
            ClientState state,
            AlertEvent.State transition,
            double value,
            long second,
            String why) {
        String at = Times.iso(second);
        boolean firing = transition == AlertEvent.State.FIRING;
        String message = firing
                ? AlertMessages.clientFiring(rule, client, value, at)
                : AlertMessages.clientResolved(rule, client, at, why);
        Map<String, String> labels = new TreeMap<>(rule.allLabels());
        labels.put(AlertRule.CLIENT_LABEL, client);
        String summary = AlertMessages.summary(rule, value, at, client);
        send(
                rule,
                transition,
                (long) Math.floor(value),
                value,
                value,
                second,
                state.triggeredAt(),
                message,
                summary,
                java.util.Collections.unmodifiableMap(labels));
    }

    /** A client_rate rule's transition for the clients over its threshold beyond max_alerts ({@code count} now). */
    private void emitBeyond(
            AlertRule rule, RuleState state, AlertEvent.State transition, int count, long second, String why) {
        String at = Times.iso(second);
        boolean firing = transition == AlertEvent.State.FIRING;
        String message =
                firing ? AlertMessages.beyondFiring(rule, count, at) : AlertMessages.beyondResolved(rule, at, why);
        Map<String, String> labels = new TreeMap<>(rule.allLabels());
        labels.put(AlertRule.OVERFLOW_LABEL, AlertRule.OVERFLOW_VALUE);
        send(
                rule,
                transition,
                count,
                count,
                count,
                second,
                state.triggeredAt(),
                message,
                message,
                java.util.Collections.unmodifiableMap(labels));
    }

    /** Publishes one transition ({@code triggeredAtBefore}: when the alert began firing, for a resolution). */
    private void send(
            AlertRule rule,
            AlertEvent.State transition,
            long hits,
            double average,
            double value,
            long second,
            String triggeredAtBefore,
            String message,
            String summary,
            Map<String, String> labels) {
        String at = Times.iso(second);
        boolean firing = transition == AlertEvent.State.FIRING;
        String triggeredAt = firing ? at : triggeredAtBefore;
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
        boolean changed = state != null
                && state.rule() != null
                && (!state.counts(rule) || !state.rule().allLabels().equals(rule.allLabels()));
        if (changed && state.rule().kind() == AlertRule.Kind.CLIENT_RATE) {
            dropClients(state.rule(), state, second, "rule changed");
        } else if (changed && state.firing()) {
            emit(state.rule(), state, AlertEvent.State.RESOLVED, lastValue(state), second, "rule changed");
            state.resolve();
        }
        if (state == null || !state.counts(rule)) {
            state = RuleState.fresh(rule);
        }
        state.rule(rule);
        states.put(rule.name(), state);
        rules.put(rule.name(), rule);
        fullPass.add(rule.name()); // new levels: every client's verdict may differ
        stateStore.put(rule.name(), state);
    }

    private void delete(String name, long second) {
        RuleState state = states.remove(name);
        rules.remove(name);
        if (state != null && state.rule() != null && state.rule().kind() == AlertRule.Kind.CLIENT_RATE) {
            dropClients(state.rule(), state, second, "rule deleted");
        } else if (state != null && state.firing() && state.rule() != null) {
            emit(state.rule(), state, AlertEvent.State.RESOLVED, lastValue(state), second, "rule deleted");
        }
        stateStore.delete(name);
    }
}
