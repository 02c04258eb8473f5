package io.httpmon.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.model.StatusClass;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The page's copy of the shared words is the contract's: a class added to {@link StatusClass} reaches the page. */
class DashboardVocabularyTest {

    @Test
    void thePageKnowsExactlyTheStatusClassesOfTheContract() throws IOException {
        String js;
        try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/dashboard.js")) {
            js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = Pattern.compile("const CLASSES = \\[([^\\]]*)\\];").matcher(js);
        assertTrue(m.find(), "dashboard.js declares CLASSES");
        Set<String> page = Arrays.stream(m.group(1).split(","))
                .map(s -> s.strip().replace("'", ""))
                .collect(Collectors.toSet());
        Set<String> contract =
                Arrays.stream(StatusClass.values()).map(StatusClass::label).collect(Collectors.toSet());
        assertEquals(contract, page);
    }
}
