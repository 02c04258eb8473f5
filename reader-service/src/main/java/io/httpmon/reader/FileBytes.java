package io.httpmon.reader;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * The bytes of a followed file, read at a position: the file's own, or, for a gzip file (a rotated archive such as
 * {@code access.log.2.gz}), its decompressed content, positions counting decompressed bytes. Chosen by the file's
 * first bytes, not its name.
 */
abstract class FileBytes implements Closeable {

    /** Reads into {@code into} from {@code position}; -1 or 0 when nothing is there (yet). */
    abstract int read(ByteBuffer into, long position) throws IOException;

    /** Whether the bytes are a decompressed stream: such a file is an archive, it is neither grown nor truncated. */
    abstract boolean compressed();

    static FileBytes open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        if (startsWithGzipMagic(channel)) {
            channel.close();
            return new Gzip(file);
        }
        return new Plain(channel);
    }

    /** Whether {@code file} is gzip-compressed (its first two bytes are gzip's magic number). */
    static boolean isGzip(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return startsWithGzipMagic(channel);
        }
    }

    private static boolean startsWithGzipMagic(FileChannel channel) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(2);
        channel.read(magic, 0);
        return magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b;
    }

    /** A file's own bytes. */
    private static final class Plain extends FileBytes {
        private final FileChannel channel;

        Plain(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        int read(ByteBuffer into, long position) throws IOException {
            return channel.read(into, position);
        }

        @Override
        boolean compressed() {
            return false;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * A gzip file's decompressed bytes (every member of a concatenated file). Read forwards as a stream; a position
     * behind the stream's (a restart from a checkpoint) opens it again and skips to it.
     */
    private static final class Gzip extends FileBytes {
        private final Path file;
        private InputStream in;
        private long streamPos;

        Gzip(Path file) {
            this.file = file;
        }

        @Override
        int read(ByteBuffer into, long position) throws IOException {
            try {
                if (in == null || position < streamPos) {
                    close();
                    in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024), 64 * 1024);
                    streamPos = 0;
                }
                while (streamPos < position) {
                    long skipped = in.skip(position - streamPos);
                    if (skipped <= 0) {
                        return -1; // the archive is shorter than the position
                    }
                    streamPos += skipped;
                }
                int n = in.read(into.array(), into.arrayOffset() + into.position(), into.remaining());
                if (n > 0) {
                    into.position(into.position() + n);
                    streamPos += n;
                }
                return n;
            } catch (EOFException e) {
                // Cut short (still being written, or damaged): what was read stands; read again from here later.
                close();
                return -1;
            }
        }

        @Override
        boolean compressed() {
            return true;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
                in = null;
            }
        }
    }
}
