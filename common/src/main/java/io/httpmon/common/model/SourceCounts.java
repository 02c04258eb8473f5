package io.httpmon.common.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one source (a reader: one web server's log) contributed to a window: so an operator sees which server is
 * quiet, late or writing garbage.
 *
 * @param hits its requests counted in the window
 * @param late its requests that came too late for their window, since the previous record
 * @param deadLetters its lines that were not requests, since the previous record
 */
public record SourceCounts(
        long hits,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long late,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long deadLetters) {

    public static final SourceCounts NONE = new SourceCounts(0, 0, 0);

    public SourceCounts plus(SourceCounts more) {
        return new SourceCounts(hits + more.hits, late + more.late, deadLetters + more.deadLetters);
    }
}
