package io.httpmon.parser.format;

import java.util.List;

/**
 * The format the parser applies: {@code fixed}, or, when null, the one auto-detection picks per file among
 * {@code candidates} (which also give the hint when lines do not match the fixed one).
 */
public record FormatChoice(LineFormat fixed, List<LineFormat> candidates) {

    public boolean auto() {
        return fixed == null;
    }

    /** How the choice is shown: the preset's name, the format string, or auto. */
    public String describe() {
        return fixed == null ? LogFormats.AUTO : fixed.name();
    }
}
