package io.httpmon.parser.format;

import io.httpmon.parser.LogLineParser;
import io.httpmon.parser.LogLineParser.Result;

/**
 * Common, Combined and Apache's vhost_combined Log Format through {@link LogLineParser}, the hand-written parser of
 * the hot path: the default, and what a pasted format string equal to one of them compiles to. Used by one thread
 * at a time (it remembers what the last lines gave: their time, their frequent fields' strings).
 */
final class ClassicFormat implements LineFormat {

    private final String name;
    private final ClientPolicy clients;
    private final LogLineParser.LineMemo memo = new LogLineParser.LineMemo();

    ClassicFormat(String name, ClientPolicy clients) {
        this.name = name;
        this.clients = clients;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Result parse(byte[] b, int from, int to, LineContext context) {
        return LogLineParser.parse(b, from, to, memo);
    }

    ClientPolicy clients() {
        return clients;
    }

    @Override
    public String toString() {
        return name;
    }
}
