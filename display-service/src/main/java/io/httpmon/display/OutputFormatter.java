package io.httpmon.display;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.httpmon.common.ControlChars;
import io.httpmon.common.SafeJson;
import io.httpmon.common.config.OutputSettings;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.StatsWindow;

/**
 * The lines the display writes, as the original monitor wrote them: a stats window as one JSON object on one line,
 * an alert as its message (or, with {@code json}, as its JSON record). Everything is escaped for a terminal.
 */
public final class OutputFormatter {

    private final OutputSettings.Format format;

    public OutputFormatter(OutputSettings.Format format) {
        this.format = format;
    }

    public String stats(StatsWindow stats) {
        return json(stats);
    }

    public String alert(AlertEvent alert) {
        return format == OutputSettings.Format.json ? json(alert) : ControlChars.escape(alert.message());
    }

    private static String json(Object value) {
        try {
            return SafeJson.WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }
}
