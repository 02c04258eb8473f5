package io.httpmon.parser.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.model.HttpRequest;
import io.httpmon.parser.LogLineParser.Result;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random nginx and Apache format strings (a random choice and order of fields, random separators, quoted or not),
 * lines written with them from random values, and the same values read back. The seed is printed.
 */
class FormatStringPropertyTest {

    /** A field a format may have: its nginx and Apache spelling, and whether its values have spaces (quoted). */
    private record Spec(String nginx, String apache, boolean free) {}

    private static final Spec CLIENT = new Spec("$remote_addr", "%h", false);
    private static final Spec TIME = new Spec("[$time_local]", "%t", true);
    private static final Spec REQUEST = new Spec("\"$request\"", "\"%r\"", true);
    private static final Spec STATUS = new Spec("$status", "%>s", false);
    private static final Spec BYTES = new Spec("$body_bytes_sent", "%b", false);
    private static final Spec AGENT = new Spec("\"$http_user_agent\"", "\"%{User-Agent}i\"", true);
    private static final Spec USER = new Spec("$remote_user", "%u", false);
    private static final Spec VHOST = new Spec("$host", "%v", false);
    private static final Spec DURATION = new Spec("$request_time", "%D", false);
    private static final Spec OTHER = new Spec("$connection", "%k", false);

    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final String[] SEPARATORS = {" ", " | ", "\t", " - ", ", ", " :: "};

    @Test
    void whatIsWrittenWithARandomFormatIsReadBack() {
        long seed = System.nanoTime();
        System.out.println("FormatStringPropertyTest seed " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            boolean nginx = random.nextBoolean();
            List<Spec> fields = new ArrayList<>(List.of(CLIENT, TIME, REQUEST, STATUS));
            for (Spec optional : List.of(BYTES, AGENT, USER, VHOST, DURATION, OTHER)) {
                if (random.nextBoolean()) {
                    fields.add(optional);
                }
            }
            Collections.shuffle(fields, random);
            String separator = SEPARATORS[random.nextInt(SEPARATORS.length)];
            StringBuilder format = new StringBuilder();
            StringBuilder line = new StringBuilder();
            String prefix = random.nextBoolean() ? "" : "log: ";
            format.append(prefix);
            line.append(prefix);
            long epochSecond = 1_700_000_000L + random.nextInt(100_000_000);
            int offsetMinutes = (random.nextInt(49) - 24) * 30;
            String client = random.nextBoolean()
                    ? "10." + random.nextInt(256) + ".0." + random.nextInt(256)
                    : "2001:db8::" + Integer.toHexString(random.nextInt(65536));
            String path =
                    "/s" + random.nextInt(50) + "/r" + random.nextInt(1000) + (random.nextBoolean() ? "?q=1" : "");
            String request = (random.nextBoolean() ? "GET " : "POST ") + path + " HTTP/1.1";
            int status = 100 + random.nextInt(500);
            long bytes = random.nextInt(1_000_000);
            String agent = "Mozilla/5.0 (X11; " + random.nextInt(100) + ") \"quoted\"";
            String user = "u" + random.nextInt(20);
            String vhost = "h" + random.nextInt(9) + ".example.com";
            long micros = random.nextInt(5_000_000);
            for (int k = 0; k < fields.size(); k++) {
                Spec f = fields.get(k);
                if (k > 0) {
                    format.append(separator);
                    line.append(separator);
                }
                format.append(nginx ? f.nginx() : f.apache());
                String value;
                if (f == CLIENT) {
                    value = client;
                } else if (f == TIME) {
                    value = "["
                            + CLF.format(Instant.ofEpochSecond(epochSecond)
                                    .atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60)))
                            + "]";
                } else if (f == REQUEST) {
                    value = "\"" + request + "\"";
                } else if (f == STATUS) {
                    value = Integer.toString(status);
                } else if (f == BYTES) {
                    value = Long.toString(bytes);
                } else if (f == AGENT) {
                    value = "\"" + (nginx ? agent.replace("\"", "\\x22") : agent.replace("\"", "\\\"")) + "\"";
                } else if (f == USER) {
                    value = user;
                } else if (f == VHOST) {
                    value = vhost;
                } else if (f == DURATION) {
                    value = nginx
                            ? String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000)
                            : Long.toString(micros);
                } else {
                    value = Integer.toString(random.nextInt(100));
                }
                line.append(value);
            }
            String spec = format.toString();
            if (!nginx && random.nextBoolean()) {
                spec = "LogFormat \"" + spec.replace("\"", "\\\"") + "\" custom"; // as it stands in httpd.conf
            }
            LineFormat compiled =
                    LogFormats.choose(spec, ClientPolicy.REMOTE_ADDR).fixed();
            byte[] b = line.toString().getBytes(StandardCharsets.UTF_8);
            Result result = compiled.parse(b, 0, b.length, new LineContext());
            String context = "seed " + seed + " round " + round + "\nformat: " + spec + "\nline:   " + line;
            assertTrue(result.isRequest(), context + "\n" + result.error());
            HttpRequest r = result.request();
            assertEquals(client, r.host(), context);
            assertEquals(epochSecond * 1000, r.timestamp(), context);
            assertEquals(request, r.request(), context);
            assertEquals(path, r.resource(), context);
            assertEquals(status, r.status(), context);
            assertEquals(fields.contains(BYTES) ? Long.valueOf(bytes) : null, r.bytes(), context);
            assertEquals(fields.contains(AGENT) ? agent : null, r.userAgent(), context);
            assertEquals(fields.contains(USER) ? user : null, r.user(), context);
            assertEquals(fields.contains(VHOST) ? vhost : null, r.vhost(), context);
            assertEquals(fields.contains(DURATION) ? Long.valueOf(micros) : null, r.responseTimeUs(), context);
        }
    }
}
