package io.httpmon.common.config;

import java.util.List;

/**
 * The whole-number settings, each declared once: the config file reads them with these limits, the services'
 * options and the monitor resolve them with {@link IntSetting#resolve}, and a test checks README's configuration
 * table against these defaults.
 */
public final class IntSettings {

    public static final IntSetting INTERVAL = new IntSetting(
            "Stats",
            "interval",
            "--interval",
            "HTTPMON_INTERVAL",
            10,
            Integer.MIN_VALUE,
            86_400,
            "a whole number of seconds (0 or less: no statistics)",
            "SECONDS",
            "Statistics window length in seconds of event time; 0 or less: no statistics.");
    public static final IntSetting TOP = new IntSetting(
            "Stats",
            "top",
            "--top",
            "HTTPMON_TOP",
            10,
            1,
            1000,
            "a whole number from 1 to 1000",
            "N",
            "Length of the top sections, resources and users lists; 1 to 1000.");
    public static final IntSetting GRACE = new IntSetting(
            "Stats",
            "grace",
            "--grace",
            "HTTPMON_GRACE",
            2,
            0,
            3600,
            "a whole number of seconds, 0 to 3600",
            "SECONDS",
            "Wait this long (event time) for out-of-order requests before a window or second is final; 0 to 3600.");
    public static final IntSetting MAX_LATENESS = new IntSetting(
            "Stats",
            "max_lateness",
            "--max-lateness",
            "HTTPMON_MAX_LATENESS",
            300,
            0,
            86_400,
            "a whole number of seconds, 0 to 86400 (not more than grace: no revisions)",
            "SECONDS",
            "A request up to this long after its window's end (event time) still counts in it: the window is "
                    + "published again, revised; later ones are counted as late. Not more than the grace: no "
                    + "revisions. 0 to 86400.");
    // Kafka brokers refuse record timestamps more than an hour ahead of their clock by default.
    public static final IntSetting MAX_FUTURE = new IntSetting(
            "Stats",
            "max_future",
            "--max-future",
            "HTTPMON_MAX_FUTURE",
            60,
            0,
            3600,
            "a whole number of seconds, 0 to 3600 (Kafka's own limit is an hour)",
            "SECONDS",
            "A request stamped more than this ahead of the reader's clock is a dead letter (and counted as "
                    + "future by the statistics); 0 to 3600.");
    public static final IntSetting SOURCE_IDLE = new IntSetting(
            "Stats",
            "source_idle",
            "--source-idle",
            "HTTPMON_SOURCE_IDLE",
            60,
            1,
            86_400,
            "a whole number of seconds, 1 to 86400",
            "SECONDS",
            "A source (one reader, one web server's log) that sends nothing, not even a heartbeat, for this long "
                    + "(its readers' clocks) while others go on no longer holds event time back; 1 to 86400.");
    /** A constant too: option descriptions (annotations) show it. */
    public static final int DEFAULT_PARTITIONS = 6;

    public static final IntSetting PARTITIONS = new IntSetting(
            "Kafka",
            "partitions",
            "--partitions",
            "HTTPMON_PARTITIONS",
            DEFAULT_PARTITIONS,
            1,
            1000,
            "a whole number from 1 to 1000",
            "N",
            "Partitions of the topics created at start; 1 to 1000.");

    public static final List<IntSetting> ALL =
            List.of(INTERVAL, TOP, GRACE, MAX_LATENESS, MAX_FUTURE, SOURCE_IDLE, PARTITIONS);

    private IntSettings() {}
}
