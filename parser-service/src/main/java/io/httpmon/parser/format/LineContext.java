package io.httpmon.parser.format;

/**
 * What a file's earlier lines said about its later ones: W3C's {@code #Fields:} directive (the reader passes the
 * one in force at a chunk's first line along with the chunk, so a parser replica that never saw the directive's own
 * line still knows it).
 */
public final class LineContext {

    private String fieldsDirective;

    public LineContext() {}

    public LineContext(String fieldsDirective) {
        this.fieldsDirective = fieldsDirective;
    }

    /** The latest {@code #Fields: ...} line, or null. */
    public String fieldsDirective() {
        return fieldsDirective;
    }

    public void fieldsDirective(String directive) {
        this.fieldsDirective = directive;
    }

    LineContext copy() {
        return new LineContext(fieldsDirective);
    }
}
