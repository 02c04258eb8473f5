package io.httpmon.parser;

import io.httpmon.common.ChunkHeaders;
import io.httpmon.common.Topics;
import io.httpmon.common.model.RequestBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The parser's speed on one thread, with JMH (a benchmark, not a test; {@code bench/run} runs it): an operation is
 * one line, so the scores are lines per second.
 *
 * <ul>
 *   <li>{@code parseLine}: {@link LogLineParser} alone, one line at a time;</li>
 *   <li>{@code parseChunk}: what the parser service does per line, without Kafka: split a 64 KiB raw-lines chunk,
 *       parse its lines, and write the batch as a {@code requests} record (its binary form).</li>
 * </ul>
 *
 * <p>{@code java -cp CLASSPATH org.openjdk.jmh.main.Main ParserBenchmark -p file=LOG}; without {@code file}, lines
 * of a built-in sample.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
@State(Scope.Thread)
public class ParserBenchmark {

    /** Lines per chunk: about 64 KiB of the bench file's lines, as the reader makes them. */
    static final int CHUNK_LINES = 700;

    @Param({""})
    public String file;

    private byte[][] lines;
    private List<ConsumerRecord<byte[], byte[]>> chunks;
    private final Serializer<RequestBatch> serializer =
            Topics.REQUESTS.valueSerde().serializer();
    private int nextLine;
    private int nextChunk;
    /** As the parser service reads: the format recognised once per file (auto, the default), then kept. */
    private final io.httpmon.parser.format.LogReader reader = new io.httpmon.parser.format.LogReader(
            io.httpmon.parser.format.LogFormats.choose("auto", io.httpmon.parser.format.ClientPolicy.REMOTE_ADDR));

    @Setup
    public void load() {
        List<String> text = new ArrayList<>();
        try {
            if (file.isEmpty()) {
                for (int i = 0; i < 100_000; i++) {
                    text.add("10.0." + (i % 250) + "." + (i % 7) + " - user" + (i % 13) + " [01/Jan/2026:00:"
                            + String.format("%02d:%02d", i / 60 % 60, i % 60) + " +0000] \"GET /section" + (i % 9)
                            + "/item/" + i + " HTTP/1.1\" " + (200 + i % 4 * 100) + " " + (i * 7 % 5000));
                }
            } else {
                try (var stream = Files.lines(Path.of(file))) {
                    stream.limit(500_000).forEach(text::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lines = text.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        chunks = new ArrayList<>();
        for (int from = 0; from + CHUNK_LINES <= text.size(); from += CHUNK_LINES) {
            byte[] chunk =
                    (String.join("\n", text.subList(from, from + CHUNK_LINES)) + "\n").getBytes(StandardCharsets.UTF_8);
            ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("b.raw-lines", 0, from, null, chunk);
            record.headers()
                    .add(ChunkHeaders.FIRST_LINE, Long.toString(from + 1).getBytes(StandardCharsets.US_ASCII));
            chunks.add(record);
        }
    }

    @Benchmark
    public int parseLine() {
        byte[] line = lines[nextLine];
        nextLine = nextLine + 1 == lines.length ? 0 : nextLine + 1;
        return LogLineParser.parse(line).request().status();
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK_LINES)
    public int parseChunk() {
        ConsumerRecord<byte[], byte[]> chunk = chunks.get(nextChunk);
        nextChunk = nextChunk + 1 == chunks.size() ? 0 : nextChunk + 1;
        // Far-future check off: the bench file's times are in the past of any reader clock anyway.
        RawLineParser.Outcome outcome = RawLineParser.handle(chunk, Long.MAX_VALUE, reader);
        return serializer.serialize("b.requests", outcome.batch()).length
                + outcome.deadLetters().size();
    }
}
