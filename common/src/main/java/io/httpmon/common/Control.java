package io.httpmon.common;

/**
 * Header names of httpmon's in-band records. A record carrying {@link #CONTROL} is not data: it marks a point in
 * the stream (e.g. the end of a replayed file) and every stage passes it on.
 */
public final class Control {

    /** Header naming a control record's kind; its value is one of the constants below. */
    public static final String CONTROL = "httpmon.control";

    /** The reader's {@code --once} reached the end of the file: no more data follows. */
    public static final String END_OF_INPUT = "end-of-input";

    /**
     * The reader is at the end of the file and nothing new came for a second: as of the record's timestamp (the
     * reader's wall clock) there is no traffic. Sent every second while idle. Only this lets event time move without
     * requests: when the reader, the parser or the broker is stalled, no heartbeat comes and no window closes early.
     */
    public static final String IDLE = "idle";

    /**
     * Header on a control record the parser passed on: {@code p/n}, the raw-lines partition it came from and how
     * many there are, so a reader of {@code requests} knows when it has the marker of every upstream partition.
     */
    public static final String FROM_PARTITION = "httpmon.from-partition";

    /**
     * Header on a raw-lines chunk: the number of its first line in the file as the reader counts them (1 for the
     * first line it published), decimal; dead letters name their line by it.
     */
    public static final String FIRST_LINE = "httpmon.first-line";

    /** Header on a raw-lines chunk: the byte position in the file just past its last line, decimal. */
    public static final String END_OFFSET = "httpmon.end-offset";

    /**
     * Header on a raw line the reader cut short (such a line is a chunk of its own); its value is the line's
     * original length in bytes (decimal).
     */
    public static final String TRUNCATED = "httpmon.truncated";

    /** Header on a raw line naming the file it was read from. */
    public static final String SOURCE_FILE = "httpmon.file";

    private Control() {
    }
}
