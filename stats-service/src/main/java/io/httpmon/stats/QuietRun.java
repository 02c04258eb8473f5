package io.httpmon.stats;

/**
 * Windows without traffic that are not printed yet because the run they belong to may go on (see
 * {@link StatsSink}); kept in a changelogged store so a restart neither loses nor repeats them.
 *
 * @param from start of the first window
 * @param to end of the last window
 * @param late late requests reported during the run
 * @param future requests from the future reported during the run
 * @param deadLetters lines that were not requests, reported during the run
 * @param lateness the largest lateness reported during the run
 */
public record QuietRun(long from, long to, long late, long future, long lateness, long deadLetters) {}
