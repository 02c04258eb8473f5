package io.httpmon.parser;

import io.httpmon.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parser throughput in isolation, one thread (not a test: run by bench/run). Parses every line of a file, then
 * parses and serialises to JSON as the parser service does; prints lines per second for each, best of 5 rounds
 * after 3 rounds of warm-up. Usage: ParserThroughput FILE [MAX_LINES]
 */
public final class ParserThroughput {

    private ParserThroughput() {
    }

    public static void main(String[] args) throws IOException {
        int max = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        List<byte[]> lines = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (lines.size() == max) {
                break;
            }
            lines.add(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        long sink = 0;
        double bestParse = 0;
        double bestJson = 0;
        for (int round = 0; round < 8; round++) {
            long t0 = System.nanoTime();
            for (byte[] line : lines) {
                sink += LogLineParser.parse(line).request().status();
            }
            long t1 = System.nanoTime();
            for (byte[] line : lines) {
                sink += Json.MAPPER.writeValueAsBytes(LogLineParser.parse(line).request()).length;
            }
            long t2 = System.nanoTime();
            if (round >= 3) {
                bestParse = Math.max(bestParse, lines.size() / ((t1 - t0) / 1e9));
                bestJson = Math.max(bestJson, lines.size() / ((t2 - t1) / 1e9));
            }
        }
        System.out.printf("{\"lines\": %d, \"parse_lines_per_s\": %.0f, \"parse_and_json_lines_per_s\": %.0f, "
                + "\"checksum\": %d}%n", lines.size(), bestParse, bestJson, sink);
    }
}
