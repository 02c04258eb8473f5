package io.httpmon.generator;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Makes realistic access-log lines: a pool of clients (IPv4 and a few IPv6), mostly anonymous with some known
 * users, sections with resources and query strings, weighted methods, statuses and sizes. The same seed gives the
 * same lines, so a test or a benchmark knows what it wrote.
 */
public final class LogGenerator {

    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String[] USERS = {"james", "jill", "frank", "mary", "alice", "bob", "carol", "dave"};
    private static final String[] SECTIONS = {"/api", "/pages", "/report", "/images", "/static", "/users", "/search"};
    private static final String[] ITEMS = {
        "index.html",
        "create",
        "edit",
        "list",
        "orders",
        "42",
        "summary",
        "logo.png",
        "app.js",
        "style.css",
        "profile",
        "settings"
    };
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD"};
    private static final int[] METHOD_WEIGHTS = {80, 12, 4, 2, 2};
    private static final int[] STATUSES = {200, 201, 204, 301, 304, 400, 403, 404, 500, 503};
    private static final int[] STATUS_WEIGHTS = {75, 3, 2, 3, 6, 2, 1, 5, 2, 1};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "curl/8.5.0",
        "Go-http-client/1.1"
    };

    private final SplittableRandom random;
    private final boolean combined;
    /** The median response time in ms written at the end of each line (nginx's $request_time), or -1: none. */
    private double responseMillis = -1;

    private final String[] hosts;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedTime;

    /** @param combined write Combined Log Format (referrer and user agent) instead of Common */
    public LogGenerator(long seed, boolean combined) {
        this.random = new SplittableRandom(seed);
        this.combined = combined;
        this.hosts = new String[256];
        for (int i = 0; i < hosts.length; i++) {
            hosts[i] = i % 32 == 31
                    ? String.format(Locale.ROOT, "2001:db8:%x::%x", random.nextInt(0x10000), random.nextInt(0x10000))
                    : (10 + random.nextInt(200)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                            + (1 + random.nextInt(254));
        }
    }

    /**
     * From now on, ends each line with a response time in seconds, as nginx's {@code $request_time} writes it: about
     * {@code medianMillis} (log-normal, most within a factor of 2.5); a negative value: none.
     */
    public LogGenerator responseTimes(double medianMillis) {
        this.responseMillis = medianMillis;
        return this;
    }

    /** One line (without its newline) of a request at {@code epochSecond}. */
    public String line(long epochSecond) {
        StringBuilder sb = new StringBuilder(combined ? 220 : 110);
        appendLine(sb, epochSecond);
        return sb.toString();
    }

    /** Writes {@code count} lines of requests at {@code epochSecond}, each with its newline. */
    public void write(Writer out, long epochSecond, int count) throws IOException {
        StringBuilder sb = new StringBuilder(combined ? 220 : 110);
        for (int i = 0; i < count; i++) {
            sb.setLength(0);
            appendLine(sb, epochSecond);
            sb.append('\n');
            out.append(sb);
        }
    }

    private void appendLine(StringBuilder sb, long epochSecond) {
        if (epochSecond != cachedSecond) {
            cachedSecond = epochSecond;
            cachedTime = CLF_TIME.format(Instant.ofEpochSecond(epochSecond));
        }
        // A few busy clients and many occasional ones, as real traffic has.
        String host = hosts[random.nextInt(4) == 0 ? random.nextInt(8) : random.nextInt(hosts.length)];
        String user = random.nextInt(10) < 7 ? "-" : USERS[random.nextInt(USERS.length)];
        String method = METHODS[pick(METHOD_WEIGHTS)];
        int status = STATUSES[pick(STATUS_WEIGHTS)];
        sb.append(host)
                .append(" - ")
                .append(user)
                .append(" [")
                .append(cachedTime)
                .append("] \"")
                .append(method)
                .append(' ');
        int s = random.nextInt(10);
        if (s == 0) {
            sb.append('/');
        } else {
            // Skewed towards the first sections, so the "most hits" list has a clear leader.
            String section = SECTIONS[Math.min(SECTIONS.length - 1, (int) Math.abs(random.nextGaussian() * 2.2))];
            sb.append(section).append('/').append(ITEMS[random.nextInt(ITEMS.length)]);
            if (random.nextInt(8) == 0) {
                sb.append("?page=").append(1 + random.nextInt(20));
            }
        }
        sb.append(" HTTP/1.1\" ").append(status).append(' ');
        if (status == 204 || status == 304 || method.equals("HEAD")) {
            sb.append('-');
        } else {
            sb.append(100 + (long) Math.abs(random.nextGaussian() * 4000));
        }
        if (combined) {
            sb.append(" \"")
                    .append(random.nextInt(3) == 0 ? "-" : "https://example.com/pages/index.html")
                    .append("\" \"")
                    .append(AGENTS[random.nextInt(AGENTS.length)])
                    .append('"');
        }
        if (responseMillis >= 0) {
            long micros = Math.round(responseMillis * 1000 * Math.exp(0.45 * random.nextGaussian()));
            sb.append(' ').append(micros / 1_000_000).append('.');
            long ms = micros / 1000 % 1000;
            sb.append(ms < 10 ? "00" : ms < 100 ? "0" : "").append(ms);
        }
    }

    private int pick(int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /**
     * Lines in second {@code second} (counted from 0) of a phase at {@code rate}: whole lines spread evenly, so
     * 2.5 lines/s gives 2, 3, 2, 3, ... and any run of seconds holds the rate to within one line.
     */
    public static int linesInSecond(double rate, long second) {
        return (int) (Math.floor(rate * (second + 1)) - Math.floor(rate * second));
    }
}
