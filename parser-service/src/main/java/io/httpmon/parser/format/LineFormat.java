package io.httpmon.parser.format;

import io.httpmon.parser.LogLineParser.Result;

/** One log format: reads one line into a request, or says why it is not one. Used by one thread at a time. */
public interface LineFormat {

    /** Its name as the user would write it: a preset's name, or the format string. */
    String name();

    /**
     * Reads the line {@code b[from..to)}. {@code context} is the file's: a format with directives (W3C's
     * {@code #Fields:}) keeps them there.
     */
    Result parse(byte[] b, int from, int to, LineContext context);
}
