package io.httpmon.generator;

import io.httpmon.common.Cli;
import io.httpmon.common.StopSignal;
import io.httpmon.common.UsageException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code httpmon generate}: writes access-log lines. Live (default): at the wall clock, in phases of traffic (low,
 * a burst, low again) so an alert triggers and recovers. {@code --fast}: as quickly as possible with synthetic
 * timestamps, a known number of lines per second of event time, for tests and benchmarks.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = {
            "Writes realistic Common Log Format lines to a file (appending).",
            "Live (default): now, at the rates of --phases; a burst above the default alert threshold in the middle.",
            "Fast (--fast, or --lines): as fast as possible, with timestamps from --start on."
        },
        footer = {
            "",
            "Examples:",
            "  ./httpmon generate -o /tmp/access.log                       live demo: 20 s low, 40 s burst, low",
            "  ./httpmon generate -o f.log --lines 2000000 --rate 2000     2M lines, 2000 per second of event time",
            "  ./httpmon generate -o f.log --fast --phases 60s@2,30s@40,60s@2",
            "  ./httpmon generate -o f.log --lines 10000 --rate 50 --durations 60   out of order by up to a minute",
            "  ./httpmon generate -o f.log --fast --response-times 40 --phases 60s@20,30s@20~2000,60s@20",
            "                                        response times, a slow phase in the middle; read it with",
            "                                        [Log] format = " + GenerateCommand.FORMAT_WITH_TIMES
        })
public final class GenerateCommand implements Callable<Integer> {

    static final String LIVE_PHASES = "20s@2,40s@40,@2";

    /** nginx's log_format of the lines written with --response-times: combined, then $request_time. */
    public static final String FORMAT_WITH_TIMES = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
            + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_time";

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            required = true,
            description = "File to append to ('-' for stdout).")
    String output;

    @Option(
            names = "--phases",
            paramLabel = "SPEC",
            description = "Traffic phases: SECONDSs@RATE,... (the last may "
                    + "omit SECONDS: run until stopped, or until --lines). Default live: " + LIVE_PHASES + ".")
    String phases;

    @Option(names = "--fast", description = "Write as fast as possible with synthetic timestamps.")
    boolean fast;

    @Option(names = "--lines", paramLabel = "N", description = "Stop after N lines (implies --fast unless --live).")
    Long lines;

    @Option(names = "--rate", paramLabel = "R", description = "Lines per second: shorthand for --phases @R.")
    Double rate;

    @Option(names = "--live", description = "Write at the wall clock even with --lines.")
    boolean live;

    @Option(
            names = "--start",
            paramLabel = "TIME",
            defaultValue = "2026-01-01T00:00:00Z",
            description = "First timestamp of --fast, ISO-8601 UTC. Default: ${DEFAULT-VALUE}.")
    String start;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--combined", description = "Combined Log Format (referrer and user agent).")
    boolean combined;

    @Option(
            names = "--durations",
            paramLabel = "SECONDS",
            description = {
                "Out of order as Apache writes: each "
                        + "request takes from 1 ms to SECONDS (most quick, a few long), its line is written when it completes, "
                        + "stamped with its start. Default: 0, in order."
            })
    double durations;

    @Option(
            names = "--response-times",
            paramLabel = "MS",
            description = {
                "Combined Log Format with nginx's $request_time at the end: responses of about MS ms (a phase's ~MS "
                        + "overrides it, e.g. --phases 60s@20,30s@20~2000 for a slow phase)."
            })
    Double responseTimes;

    public static void main(String[] args) {
        Cli.exit(Cli.run(new GenerateCommand(), args));
    }

    @Override
    public Integer call() throws IOException {
        if (phases != null && rate != null) {
            throw new UsageException("give --phases or --rate, not both");
        }
        List<Phase> plan;
        try {
            plan = rate != null ? List.of(new Phase(0, rate)) : Phase.parse(phases != null ? phases : LIVE_PHASES);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--rate " + rate + ": " + e.getMessage());
        }
        if (lines != null && lines < 0) {
            throw new UsageException("--lines must not be negative, got " + lines);
        }
        boolean fastMode = (fast || lines != null) && !live;
        long limit = lines != null ? lines : Long.MAX_VALUE;
        if (fastMode && limit == Long.MAX_VALUE && plan.get(plan.size() - 1).endless()) {
            throw new UsageException("--fast needs an end: --lines N, or a length on the last phase");
        }
        if (durations < 0 || durations > 86_400) {
            throw new UsageException("--durations must be 0 to 86400 seconds, got " + durations);
        }
        if (responseTimes != null && !(responseTimes >= 0 && responseTimes <= 3_600_000)) {
            throw new UsageException("--response-times must be 0 to 3600000 ms, got " + responseTimes);
        }
        boolean timed = responseTimes != null || plan.stream().anyMatch(p -> p.responseMillis() != null);
        LogGenerator generator = new LogGenerator(seed, combined || timed);
        double defaultMillis = timed ? (responseTimes != null ? responseTimes : DEFAULT_RESPONSE_MILLIS) : -1;
        CompletionOrder order = durations > 0 ? new CompletionOrder(seed, (long) (durations * 1000)) : null;
        try (Writer out = open()) {
            if (fastMode) {
                long first;
                try {
                    first = Instant.parse(start).getEpochSecond();
                } catch (DateTimeParseException e) {
                    throw new UsageException("--start " + start + ": expected ISO-8601 UTC, e.g. 2026-01-01T00:00:00Z");
                }
                if (order != null) {
                    writeFastInCompletionOrder(generator, order, out, plan, first, limit, defaultMillis);
                } else {
                    writeFast(generator, out, plan, first, limit, defaultMillis);
                }
            } else {
                StopSignal stop = new StopSignal();
                Cli.stopOnShutdown(stop);
                writeLive(generator, order, out, plan, limit, stop, defaultMillis);
            }
        }
        return Cli.EXIT_OK;
    }

    private Writer open() throws IOException {
        if (output.equals("-")) {
            return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        }
        return new BufferedWriter(
                new OutputStreamWriter(
                        Files.newOutputStream(Path.of(output), StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                        StandardCharsets.UTF_8),
                1 << 16);
    }

    /** The median response time of a phase without its own, when only phases give one. */
    static final double DEFAULT_RESPONSE_MILLIS = 40;

    /** Writes the phases with event times from {@code firstSecond}; returns the lines written. */
    public static long writeFast(LogGenerator generator, Writer out, List<Phase> plan, long firstSecond, long limit)
            throws IOException {
        return writeFast(generator, out, plan, firstSecond, limit, -1);
    }

    /** The phase's response times on {@code generator}: its own, else {@code defaultMillis} (negative: none). */
    private static void times(LogGenerator generator, Phase phase, double defaultMillis) {
        generator.responseTimes(
                defaultMillis < 0 ? -1 : phase.responseMillis() != null ? phase.responseMillis() : defaultMillis);
    }

    static long writeFast(
            LogGenerator generator, Writer out, List<Phase> plan, long firstSecond, long limit, double defaultMillis)
            throws IOException {
        long written = 0;
        long second = firstSecond;
        for (Phase phase : plan) {
            times(generator, phase, defaultMillis);
            for (long i = 0; (phase.endless() || i < phase.seconds()) && written < limit; i++, second++) {
                int n = (int) Math.min(LogGenerator.linesInSecond(phase.rate(), i), limit - written);
                generator.write(out, second, n);
                written += n;
            }
        }
        return written;
    }

    /** As {@link #writeFast}, each line written when its request completes (see {@link CompletionOrder}). */
    static long writeFastInCompletionOrder(
            LogGenerator generator,
            CompletionOrder order,
            Writer out,
            List<Phase> plan,
            long firstSecond,
            long limit,
            double defaultMillis)
            throws IOException {
        long written = 0;
        long second = firstSecond;
        for (Phase phase : plan) {
            times(generator, phase, defaultMillis);
            for (long i = 0; (phase.endless() || i < phase.seconds()) && written < limit; i++, second++) {
                int n = (int) Math.min(LogGenerator.linesInSecond(phase.rate(), i), limit - written);
                for (int k = 0; k < n; k++) {
                    long startMillis = second * 1000 + k * 1000L / n;
                    order.completeUpTo(startMillis, out);
                    order.start(startMillis, generator.line(second));
                }
                written += n;
            }
        }
        order.completeAll(out);
        return written;
    }

    private static void writeLive(
            LogGenerator generator,
            CompletionOrder order,
            Writer out,
            List<Phase> plan,
            long limit,
            StopSignal stop,
            double defaultMillis)
            throws IOException {
        long written = 0;
        // Ten batches a second, flushed each time, so a follower sees a steady stream rather than bursts.
        for (Phase phase : plan) {
            times(generator, phase, defaultMillis);
            System.err.printf(
                    "generate: %s at %s lines/s%n",
                    phase.endless() ? "from now on" : phase.seconds() + " s", phase.rate());
            long phaseStart = System.nanoTime();
            double due = 0;
            for (long tick = 0; phase.endless() || tick < phase.seconds() * 10L; tick++) {
                if (stop.isStopped() || written >= limit) {
                    return;
                }
                long nowMillis = System.currentTimeMillis();
                long now = Math.floorDiv(nowMillis, 1000L);
                due += phase.rate() / 10;
                int n = (int) Math.min((long) due, limit - written);
                due -= n;
                if (order == null) {
                    generator.write(out, now, n);
                } else {
                    for (int k = 0; k < n; k++) {
                        order.start(nowMillis, generator.line(now));
                    }
                    order.completeUpTo(nowMillis, out);
                }
                out.flush();
                written += n;
                long next = phaseStart + (tick + 1) * 100_000_000L;
                long sleep = next - System.nanoTime();
                if (sleep > 0 && stop.sleep(Duration.ofNanos(sleep))) {
                    return;
                }
            }
        }
        while (order != null && order.isRunning() && !stop.isStopped()) {
            order.completeUpTo(System.currentTimeMillis(), out); // the last requests complete in their own time
            out.flush();
            stop.sleep(Duration.ofMillis(100));
        }
    }
}
