package io.httpmon.reader;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a file as {@code tail -F} does, handing out complete lines with the byte offset just past them.
 *
 * <p>It survives the file not existing yet, rotation by rename and re-create (the old file is read to its end
 * before the new one is opened), copytruncate (a file that shrinks is read again from its start), and deletion
 * followed by re-creation. A last line without its newline is held back until the newline arrives, or until its
 * file is rotated or truncated away, when it is handed out as it is. Lines longer than {@code maxLineBytes} are cut
 * to that length, with their original length kept, so one huge line cannot exhaust memory.
 *
 * <p>Files are identified by their device and inode ({@link BasicFileAttributes#fileKey()}), which is also what a
 * {@link Position} records, so a restart can tell whether the file it stopped in is still the one at the path.
 * Not thread-safe: one thread polls.
 */
public final class FileFollower implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(FileFollower.class);
    private static final int READ_SIZE = 256 * 1024;

    /** Where to begin when there is no saved position. */
    public enum Start {
        BEGINNING,
        END
    }

    /** A resumable place: the file (by identity and the path it had) and the offset just past the last line. */
    public record Position(String fileKey, Path openPath, long offset) {}

    /**
     * A line without its terminator; {@code originalLength > bytes.length} when it was cut. {@code endOffset} is the
     * position in its file just past it (and its terminator).
     */
    public record Line(byte[] bytes, long originalLength, long endOffset) {
        public boolean truncated() {
            return originalLength > bytes.length;
        }
    }

    /** Lines read from one file, and the position just past the last of them. */
    public record Chunk(List<Line> lines, Position end) {
        public boolean isEmpty() {
            return lines.isEmpty();
        }
    }

    private final Path path;
    private final int maxLineBytes;
    private final ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);

    private Start start;
    private Position resume;
    private FileBytes channel;
    private Path openPath;
    private String openKey;
    private long readPos;
    private long linePos;

    private static final Pattern COMPRESSED = Pattern.compile("\\.(gz|bz2|xz|zst|lz4|Z|zip)$");
    private final byte[] recent = new byte[4096];
    private int recentLen;
    private byte[] partial = new byte[1024];
    private int partialLen;
    private long partialOriginal;

    private boolean waitLogged;

    /**
     * How long a rotated-away file must have been quiet before the follower moves to the new one. logrotate
     * renames the log and creates the new one before the web server reopens its log (nginx on USR1, Apache on a
     * graceful restart): what the server writes in between goes to the old file, and is read from it.
     */
    static final Duration ROTATION_QUIET = Duration.ofSeconds(2);

    private final LongSupplier nanoClock;
    private long lastDataNanos;
    private boolean rotationPending;

    /**
     * @param path the path to follow
     * @param start where to begin in the file found at start-up when {@code resume} is null
     * @param resume a saved position to continue from, or null
     * @param maxLineBytes longest line kept whole
     */
    public FileFollower(Path path, Start start, Position resume, int maxLineBytes) {
        this(path, start, resume, maxLineBytes, System::nanoTime);
    }

    /** With the clock that times {@link #ROTATION_QUIET} (tests). */
    FileFollower(Path path, Start start, Position resume, int maxLineBytes, LongSupplier nanoClock) {
        this.path = path;
        this.start = start;
        this.resume = resume;
        this.maxLineBytes = maxLineBytes;
        this.nanoClock = nanoClock;
    }

    /**
     * True while a new file is at the path but the old one is still being read (it was written to less than
     * {@link #ROTATION_QUIET} ago): lines may be on their way in the new file, so this is not "nothing new".
     */
    public boolean rotationPending() {
        return rotationPending;
    }

    public Path path() {
        return path;
    }

    /**
     * Reads what has been appended since the last call, up to about {@code maxBytes}.
     *
     * @return complete lines from one file (maybe none) and the position after them
     */
    public Chunk poll(int maxBytes) throws IOException {
        if (channel == null && !open()) {
            return new Chunk(List.of(), null);
        }
        List<Line> lines = new ArrayList<>();
        long bytes = 0;
        while (bytes < maxBytes) {
            buffer.clear();
            int n = channel.read(buffer, readPos);
            if (n <= 0) {
                break;
            }
            bytes += n;
            lastDataNanos = nanoClock.getAsLong();
            remember(buffer.array(), n);
            split(buffer.array(), n, lines);
        }
        if (!lines.isEmpty()) {
            return new Chunk(lines, position());
        }
        return atEndOfFile(maxBytes);
    }

    /**
     * For a file that is complete (a replay): the held-back last line, if the file does not end with a newline.
     */
    public Chunk finish() {
        if (channel == null) {
            return new Chunk(List.of(), null);
        }
        return new Chunk(flushPartial(), position());
    }

    /** Nothing new in the open file: has it been rotated, truncated or deleted? */
    private Chunk atEndOfFile(int maxBytes) throws IOException {
        BasicFileAttributes now = attributes(path);
        if (now == null) {
            // Deleted or renamed away and not re-created yet: keep the old file, its writer may still append.
            return new Chunk(List.of(), position());
        }
        String key = keyOf(now);
        rotationPending = false;
        if (!key.equals(openKey) && nanoClock.getAsLong() - lastDataNanos < ROTATION_QUIET.toNanos()) {
            rotationPending = true; // the writer may not have reopened its log yet
            return new Chunk(List.of(), position());
        }
        if (!key.equals(openKey)) {
            // A new file at the path. The old one was read to its end just now; a writer that still appends to
            // it after the switch loses those lines, as with tail -F.
            List<Line> last = flushPartial();
            Position end = position();
            log.info(
                    "{} was replaced (rotated or re-created); finished {} at byte {}, now reading the new file",
                    path,
                    openPath,
                    readPos);
            closeChannel();
            return last.isEmpty() ? poll(maxBytes) : new Chunk(last, end);
        }
        if (now.size() < readPos && !channel.compressed()) {
            List<Line> last = new ArrayList<>(fromTruncatedCopy());
            last.addAll(flushPartial());
            log.info(
                    "{} shrank from {} to {} bytes (truncated); reading it again from its start",
                    path,
                    readPos,
                    now.size());
            Position end = position();
            readPos = 0;
            linePos = 0;
            recentLen = 0;
            return new Chunk(last, last.isEmpty() ? position() : end);
        }
        return new Chunk(List.of(), position());
    }

    /** Keeps the last bytes read, to recognise a copy of this file (see {@link #fromTruncatedCopy}). */
    private void remember(byte[] data, int n) {
        if (n >= recent.length) {
            System.arraycopy(data, n - recent.length, recent, 0, recent.length);
            recentLen = recent.length;
            return;
        }
        int keep = Math.min(recentLen, recent.length - n);
        System.arraycopy(recent, recentLen - keep, recent, 0, keep);
        System.arraycopy(data, 0, recent, keep, n);
        recentLen = keep + n;
    }

    /**
     * Copytruncate copies the log away, then cuts it to nothing: what was appended after this follower's last read
     * is only in the copy. Finds the copy beside the log (a name starting with the log's, not compressed, whose
     * bytes just before {@code readPos} are the last ones read here) and reads the rest of it, so the lines are not
     * lost as they are with tail -F. Lines appended between the copy and the cut are in neither file.
     */
    private List<Line> fromTruncatedCopy() throws IOException {
        if (recentLen == 0 || readPos < recentLen) {
            return List.of();
        }
        Path parent = path.toAbsolutePath().getParent();
        String name = path.getFileName().toString();
        List<Path> candidates = new ArrayList<>();
        try (var files = Files.list(parent)) {
            files.filter(f -> {
                        String n = f.getFileName().toString();
                        return !n.equals(name)
                                && n.startsWith(name)
                                && !COMPRESSED.matcher(n).find()
                                && Files.isRegularFile(f);
                    })
                    .forEach(candidates::add);
        }
        candidates.sort(Comparator.comparingLong(FileFollower::modified).reversed());
        for (Path copy : candidates) {
            try (FileChannel c = FileChannel.open(copy, StandardOpenOption.READ)) {
                if (c.size() <= readPos || !sameBytes(c, readPos - recentLen)) {
                    continue;
                }
                log.info(
                        "{} was copied to {} and truncated (copytruncate); reading its last {} bytes from the copy",
                        path,
                        copy,
                        c.size() - readPos);
                List<Line> lines = new ArrayList<>();
                while (true) {
                    buffer.clear();
                    int n = c.read(buffer, readPos);
                    if (n <= 0) {
                        return lines;
                    }
                    split(buffer.array(), n, lines);
                }
            } catch (IOException e) {
                log.debug("Cannot read {} as a copy of {}: {}", copy, path, e.getMessage());
            }
        }
        return List.of();
    }

    private boolean sameBytes(FileChannel c, long from) throws IOException {
        ByteBuffer there = ByteBuffer.allocate(recentLen);
        while (there.hasRemaining()) {
            if (c.read(there, from + there.position()) <= 0) {
                return false;
            }
        }
        return Arrays.equals(there.array(), 0, recentLen, recent, 0, recentLen);
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private boolean open() throws IOException {
        Position saved = resume;
        resume = null;
        if (saved != null && openSaved(saved)) {
            return true;
        }
        BasicFileAttributes attrs = attributes(path);
        if (attrs == null) {
            if (!waitLogged) {
                log.warn("Waiting for {} to appear", path);
                waitLogged = true;
            }
            // A file that appears after start-up is all new: read it from its start.
            start = Start.BEGINNING;
            return false;
        }
        // A compressed file is an archive, it does not grow: read whole, whatever the start.
        boolean archive = FileBytes.isGzip(path);
        long offset = start == Start.END && !archive ? attrs.size() : 0;
        String note = saved == null ? "" : " (the file it stopped in is gone)";
        return openAt(path, offset, archive ? note + " (gzip-compressed: read whole, decompressed)" : note);
    }

    /** Resumes in the file of a saved position: at the path, or where rotation moved it. */
    private boolean openSaved(Position saved) throws IOException {
        BasicFileAttributes attrs = attributes(path);
        if (attrs != null && keyOf(attrs).equals(saved.fileKey())) {
            if (attrs.size() < saved.offset() && !FileBytes.isGzip(path)) {
                log.info(
                        "{} is shorter than the saved position {} (truncated while stopped); reading from its start",
                        path,
                        saved.offset());
                return openAt(path, 0, "");
            }
            return openAt(path, saved.offset(), "");
        }
        Path moved = findByKey(saved);
        if (moved != null) {
            log.info("{} was rotated while stopped; finishing {} from byte {} first", path, moved, saved.offset());
            return openAt(moved, saved.offset(), "");
        }
        return false;
    }

    /** Looks for the file with the saved identity where rotation usually puts it: beside the path. */
    private Path findByKey(Position saved) throws IOException {
        List<Path> candidates = new ArrayList<>();
        if (saved.openPath() != null) {
            candidates.add(saved.openPath());
        }
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir)) {
            try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir)) {
                siblings.forEach(candidates::add);
            }
        }
        for (Path candidate : candidates) {
            BasicFileAttributes attrs = attributes(candidate);
            if (attrs != null && attrs.isRegularFile() && keyOf(attrs).equals(saved.fileKey())) {
                return candidate;
            }
        }
        return null;
    }

    private boolean openAt(Path file, long offset, String note) throws IOException {
        FileBytes opened;
        try {
            opened = FileBytes.open(file);
        } catch (NoSuchFileException e) {
            return false;
        }
        BasicFileAttributes attrs = attributes(file);
        if (attrs == null) {
            opened.close();
            return false;
        }
        channel = opened;
        // Any file opened after this one is new: it is read from its start.
        start = Start.BEGINNING;
        openPath = file;
        openKey = keyOf(attrs);
        readPos = offset;
        linePos = offset;
        partialLen = 0;
        partialOriginal = 0;
        lastDataNanos = nanoClock.getAsLong() - ROTATION_QUIET.toNanos(); // nothing read from it yet: quiet
        recentLen = 0;
        waitLogged = false;
        log.info("Reading {} from byte {}{}", file, offset, note);
        return true;
    }

    private void split(byte[] data, int n, List<Line> lines) {
        int from = 0;
        for (int i = 0; i < n; i++) {
            if (data[i] == '\n') {
                lines.add(line(data, from, i, readPos + i + 1));
                from = i + 1;
                linePos = readPos + from;
            }
        }
        appendPartial(data, from, n);
        readPos += n;
    }

    private Line line(byte[] data, int from, int to, long endOffset) {
        if (partialOriginal == 0) {
            int end = to > from && data[to - 1] == '\r' ? to - 1 : to;
            int kept = Math.min(end - from, maxLineBytes);
            return new Line(Arrays.copyOfRange(data, from, from + kept), end - from, endOffset);
        }
        appendPartial(data, from, to);
        return takePartial(endOffset);
    }

    private void appendPartial(byte[] data, int from, int to) {
        int len = to - from;
        partialOriginal += len;
        int room = maxLineBytes - partialLen;
        int kept = Math.max(0, Math.min(len, room));
        if (kept > 0) {
            if (partialLen + kept > partial.length) {
                partial =
                        Arrays.copyOf(partial, Math.min(maxLineBytes, Math.max(partialLen + kept, partial.length * 2)));
            }
            System.arraycopy(data, from, partial, partialLen, kept);
            partialLen += kept;
        }
    }

    private Line takePartial(long endOffset) {
        int end = partialLen;
        long original = partialOriginal;
        // The terminator of a CRLF line ends the kept bytes only if the line was not cut.
        if (original == partialLen && end > 0 && partial[end - 1] == '\r') {
            end--;
            original--;
        }
        Line line = new Line(Arrays.copyOf(partial, end), original, endOffset);
        partialLen = 0;
        partialOriginal = 0;
        if (partial.length > 64 * 1024) {
            partial = new byte[1024];
        }
        return line;
    }

    /** The held-back last line of a file that will not grow any more, as a line of its own. */
    private List<Line> flushPartial() {
        if (partialOriginal == 0) {
            return List.of();
        }
        Line line = takePartial(readPos);
        linePos = readPos;
        return List.of(line);
    }

    private Position position() {
        return new Position(openKey, openPath, linePos);
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private static BasicFileAttributes attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String keyOf(BasicFileAttributes attrs) {
        // (dev=..,ino=..) on Unix; the creation time stands in where the platform gives no key.
        return Objects.toString(
                attrs.fileKey(), "created=" + attrs.creationTime().toMillis());
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }
}
