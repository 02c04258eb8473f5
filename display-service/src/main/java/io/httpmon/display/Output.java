package io.httpmon.display;

import io.httpmon.common.config.OutputSettings;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the display's lines go: stdout, the log (logback, logger {@code httpmon.output}), or a file. */
public interface Output extends Closeable {

    void write(String line) throws IOException;

    /** Makes everything written so far durable; returns the output's length where it has one (a file), else -1. */
    long flush() throws IOException;

    /** What opens the output {@code settings} name (stdout, the log, or the file at the length the display saved). */
    static DisplayService.OutputOpener opener(OutputSettings settings) {
        return switch (settings.destination()) {
            case stdout -> length -> stdout(System.out);
            case log -> length -> log();
            case file -> length -> file(settings.file(), length);
        };
    }

    static Output stdout(PrintStream out) {
        return new Output() {
            @Override
            public void write(String line) {
                out.println(line);
            }

            @Override
            public long flush() {
                out.flush();
                return -1;
            }

            @Override
            public void close() {
                out.flush();
            }
        };
    }

    static Output log() {
        Logger logger = LoggerFactory.getLogger("httpmon.output");
        return new Output() {
            @Override
            public void write(String line) {
                logger.info("{}", line);
            }

            @Override
            public long flush() {
                return -1;
            }

            @Override
            public void close() {}
        };
    }

    /**
     * Appends to {@code file}, first cutting it back to {@code validLength} when that is given (&gt;= 0): bytes past
     * it were written after the last checkpoint, and will be written again.
     */
    static Output file(Path file, long validLength) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (validLength >= 0 && channel.size() > validLength) {
                channel.truncate(validLength);
            }
            channel.position(channel.size());
        } catch (IOException e) {
            throw named(file, e);
        }
        return new Output() {
            @Override
            public void write(String line) throws IOException {
                byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                var buffer = java.nio.ByteBuffer.wrap(bytes);
                try {
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                } catch (IOException e) {
                    throw named(file, e);
                }
            }

            @Override
            public long flush() throws IOException {
                try {
                    channel.force(false);
                    return channel.position();
                } catch (IOException e) {
                    throw named(file, e);
                }
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** The JDK's messages ("No space left on device") do not say which file; the user needs to know. */
    private static IOException named(Path file, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains(file.toString())) {
            return e;
        }
        return new IOException(file + ": " + message, e);
    }
}
