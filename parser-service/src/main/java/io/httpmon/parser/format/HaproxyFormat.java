package io.httpmon.parser.format;

import io.httpmon.parser.LogLineParser.Result;
import java.nio.charset.StandardCharsets;

/**
 * HAProxy's HTTP log format ({@code option httplog}), with or without the syslog prefix:
 * <pre>[Feb  6 12:14:14 localhost haproxy[14389]: ]10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in
 * static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"</pre>
 * The accept date has no UTC offset: it is read as UTC. The response time is the last timer ({@code Tt}, or
 * {@code Ta} in HAProxy 1.9+), in milliseconds; the upstream is {@code backend/server}. {@code <BADREQ>} is a
 * request that got its status (usually 400) like any other.
 */
final class HaproxyFormat implements LineFormat {

    private final ClientPolicy clients;
    private final RequestFields fields = new RequestFields();

    HaproxyFormat(ClientPolicy clients) {
        this.clients = clients;
    }

    @Override
    public String name() {
        return "haproxy";
    }

    @Override
    public Result parse(byte[] b, int from, int to, LineContext context) {
        String line = new String(b, from, to - from, StandardCharsets.UTF_8);
        int pos = start(line);
        String[] words = new String[7];
        for (int k = 0; k < words.length; k++) {
            if (pos >= line.length()) {
                return Result.error("expected 'client:port [date] frontend backend/server timers status bytes'"
                        + " (format haproxy)");
            }
            int end;
            if (k == 1) {
                if (line.charAt(pos) != '[' || (end = line.indexOf(']', pos)) < 0) {
                    return Result.error("expected '[' and the accept date after the client (format haproxy)");
                }
                end++;
            } else {
                end = line.indexOf(' ', pos);
                end = end < 0 ? line.length() : end;
            }
            words[k] = line.substring(pos, end);
            pos = end + 1;
        }
        int quote = line.indexOf('"', pos);
        int last = line.lastIndexOf('"');
        if (quote < 0 || last <= quote) {
            return Result.error("expected the quoted request at the end (format haproxy)");
        }
        RequestFields f = fields.clear();
        f.set(Field.CLIENT_PORT, words[0]);
        String date = words[1].substring(1, words[1].length() - 1); // 06/Feb/2009:12:14:14.655
        if (date.length() >= 20) {
            f.set(Field.TIME_CLF, date.substring(0, 20) + " +0000");
        } else {
            f.set(Field.TIME_CLF, date);
        }
        if (!words[3].contains("<NOSRV>")) {
            f.set(Field.UPSTREAM, words[3]);
        }
        String timers = words[4];
        String total = timers.substring(timers.lastIndexOf('/') + 1);
        if (total.startsWith("+")) {
            total = total.substring(1);
        }
        if (!total.startsWith("-")) {
            f.set(Field.DURATION_MS, total);
        }
        f.set(Field.STATUS, words[5]);
        f.set(Field.BYTES, words[6].startsWith("+") ? words[6].substring(1) : words[6]);
        f.set(Field.REQUEST_LINE, line.substring(quote + 1, last));
        Result result = f.build(clients);
        if (result.isRequest() && date.length() > 21 && date.charAt(20) == '.') {
            // the accept date's milliseconds
            long ms = 0;
            for (int k = 21; k < Math.min(24, date.length()); k++) {
                ms = ms * 10 + (date.charAt(k) - '0');
            }
            var r = result.request();
            return Result.ok(new io.httpmon.common.model.HttpRequest(
                    r.host(),
                    r.ident(),
                    r.user(),
                    r.time(),
                    r.timestamp() + ms,
                    r.request(),
                    r.method(),
                    r.resource(),
                    r.protocol(),
                    r.section(),
                    r.status(),
                    r.bytes(),
                    r.referrer(),
                    r.userAgent(),
                    r.vhost(),
                    r.truncated(),
                    r.responseTimeUs(),
                    r.upstream(),
                    r.forwardedFor()));
        }
        return result;
    }

    /** Past a syslog prefix ({@code ... haproxy[pid]: }), if any. */
    private static int start(String line) {
        int tag = line.indexOf("]: ");
        int date = line.indexOf(" [");
        if (tag >= 0 && (date < 0 || tag < date)) {
            return tag + 3;
        }
        int plain = line.indexOf("haproxy: ");
        return plain >= 0 && (date < 0 || plain < date) ? plain + 9 : 0;
    }

    @Override
    public String toString() {
        return name();
    }
}
