package io.httpmon.common.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Applies the config's [Logging] section to logback, on top of the packaged logback.xml (which logs to stderr and
 * keeps Kafka's own loggers quiet). {@code log_to_file}: logs go to that file; {@code log_to_stdout}: also to
 * stdout, as the original does. When logs go to no terminal, warnings and errors still reach stderr: a person must
 * see "waiting for Kafka" or a failure. {@code debug} lowers httpmon's own loggers to DEBUG.
 */
public final class LoggingSetup {

    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

    private LoggingSetup() {}

    /**
     * A service's [Logging] section: with {@code log_to_file} or {@code log_to_stdout}, as the monitor applies its
     * own (the log there, warnings still on stderr); without either, the whole log stays on stderr.
     *
     * @throws io.httpmon.common.UsageException when {@code log_to_file} cannot be written, naming the key
     */
    public static void apply(FileConfig config, String service) {
        Path logTo = logFile(config.logToFile(), service);
        if (logTo != null) {
            io.httpmon.common.UsageException.requireWritable(logTo, "[Logging] log_to_file");
        }
        boolean toStdout = Boolean.TRUE.equals(config.logToStdout());
        boolean debug = Boolean.TRUE.equals(config.debug());
        if (logTo == null && !toStdout) {
            // A service's log stays on stderr whole (its container's log), at DEBUG for httpmon with debug = True.
            if (debug && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                context.getLogger("io.httpmon").setLevel(Level.DEBUG);
            }
            return;
        }
        // Several services may share one config, and so one log file: each event is appended under a file lock.
        apply(debug, toStdout, logTo, true);
    }

    /**
     * {@code log_to_file} with {@code {service}} and {@code {host}} replaced by the service's name and the host's
     * (a container's id under Docker): one file per process where several read the same config, e.g.
     * {@code /var/log/httpmon/{service}-{host}.log}; null for none.
     */
    public static Path logFile(String configured, String service) {
        if (configured == null || configured.isEmpty()) {
            return null;
        }
        return Path.of(configured.replace("{service}", service).replace("{host}", hostName()));
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                name = "localhost";
            }
        }
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    public static void apply(boolean debug, boolean logToStdout, Path logToFile) {
        apply(debug, logToStdout, logToFile, false);
    }

    /** Flushes and closes every appender (a log file's last lines included); nothing is logged after it. */
    public static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    private static void apply(boolean debug, boolean logToStdout, Path logToFile, boolean shared) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (debug) {
            context.getLogger("io.httpmon").setLevel(Level.DEBUG);
        }
        // The terminal shows the banner, the output and what needs a person's attention; the full log goes where
        // [Logging] says (or to stderr as well with debug = True and no other destination).
        Appender<ILoggingEvent> stderr = root.getAppender("STDERR");
        if (stderr != null && (logToFile != null || logToStdout || !debug)) {
            stderr.addFilter(new WarningsAndOutput());
        }
        if (logToFile != null) {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setName("FILE");
            file.setFile(logToFile.toString());
            file.setAppend(true);
            file.setPrudent(shared);
            start(context, file);
            addToAll(context, file);
        }
        if (logToStdout) {
            ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
            stdout.setName("STDOUT");
            stdout.setTarget("System.out");
            start(context, stdout);
            addToAll(context, stdout);
        }
    }

    /**
     * The logger of what a person must hear once though it is no warning (which log format was picked): on the
     * terminal like a warning, at INFO.
     */
    public static final String NOTICE = "httpmon.notice";

    /** Passes warnings and errors, notices, and the display's own lines when they go to the log ({@code displayer = log}). */
    static final class WarningsAndOutput extends Filter<ILoggingEvent> {
        WarningsAndOutput() {
            start();
        }

        @Override
        public FilterReply decide(ILoggingEvent event) {
            return event.getLevel().isGreaterOrEqual(Level.WARN)
                            || event.getLoggerName().equals("httpmon.output")
                            || event.getLoggerName().equals(NOTICE)
                    ? FilterReply.NEUTRAL
                    : FilterReply.DENY;
        }
    }

    /** To the root and to the loggers that do not pass their events up (logback.xml's no-stack-trace ones). */
    private static void addToAll(LoggerContext context, Appender<ILoggingEvent> appender) {
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        for (Logger logger : context.getLoggerList()) {
            if (!logger.isAdditive()) {
                logger.addAppender(appender);
            }
        }
    }

    private static void start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
    }
}
