package io.httpmon.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.httpmon.alert.AlertCounter.Requests;
import io.httpmon.common.model.StatusClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertCounterTest {

    /** What a rule reads back is what was counted: every class, sections with any character, none. */
    @ParameterizedTest
    @CsvSource(
            value = {"101,/api", "200,/", "302,", "404,/o", "503,/5xx", "99,/x", "600,", "200,/with space/é"},
            ignoreLeadingAndTrailingWhitespace = false)
    void anItemReadsBackAsCounted(int status, String section) {
        Requests counted = Requests.of(status, section);
        Requests read = AlertCounter.REQUESTS
                .decode()
                .apply(AlertCounter.REQUESTS.encode().apply(counted));
        assertEquals(counted, read);
        assertEquals(StatusClass.of(status), read.statusClass());
        assertEquals(section, read.section());
    }
}
