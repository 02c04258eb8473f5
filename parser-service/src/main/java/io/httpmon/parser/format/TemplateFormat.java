package io.httpmon.parser.format;

import io.httpmon.parser.LogLineParser.Result;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A format made of fields and the literal text between them, as nginx's {@code log_format} and Apache's
 * {@code LogFormat} describe a line: compiled once ({@link FormatStrings}), then matched left to right. A field
 * ends where the literal that follows it starts; a field between quotes ends at the first unescaped quote followed
 * by that literal (so a request line with an escaped or stray quote stays whole). Text after the last literal is
 * ignored, as servers and users append fields.
 */
public final class TemplateFormat implements LineFormat {

    /** One field: its meaning and its name as written in the format ({@code $status}, {@code %>s}). */
    record Slot(Field field, String token) {}

    private final String name;
    private final String[] literals; // literals[k] precedes slots[k]; the last one follows the last slot
    private final Slot[] slots;
    private final RequestFields fields = new RequestFields();
    private final ClientPolicy clients;

    TemplateFormat(String name, List<String> literals, List<Slot> slots, ClientPolicy clients) {
        if (literals.size() != slots.size() + 1) {
            throw new IllegalArgumentException("a literal before and after each field");
        }
        this.name = name;
        this.literals = literals.toArray(String[]::new);
        this.slots = slots.toArray(Slot[]::new);
        this.clients = clients;
        for (int k = 0; k + 1 < this.slots.length; k++) {
            if (this.literals[k + 1].isEmpty()) {
                throw new IllegalArgumentException(this.slots[k].token() + " and " + this.slots[k + 1].token()
                        + " have nothing between them: httpmon cannot tell where one ends");
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The fields in order, for tests and for recognising a known layout. */
    List<Field> fields() {
        List<Field> list = new ArrayList<>();
        for (Slot s : slots) {
            list.add(s.field());
        }
        return Collections.unmodifiableList(list);
    }

    /** The layout: literals and fields, comparable across syntaxes (nginx's and Apache's combined are equal). */
    String layout() {
        StringBuilder sb = new StringBuilder(literals[0]);
        for (int k = 0; k < slots.length; k++) {
            sb.append('\u0000').append(slots[k].field()).append('\u0000').append(literals[k + 1]);
        }
        return sb.toString();
    }

    TemplateFormat with(ClientPolicy policy) {
        return new TemplateFormat(name, List.of(literals), List.of(slots), policy);
    }

    /** The same format under a preset's name. */
    TemplateFormat named(String presetName) {
        return new TemplateFormat(presetName, List.of(literals), List.of(slots), clients);
    }

    @Override
    public Result parse(byte[] b, int from, int to, LineContext context) {
        if (to == from) {
            return Result.error("empty line");
        }
        String line = new String(b, from, to - from, StandardCharsets.UTF_8);
        RequestFields f = fields.clear();
        if (!line.startsWith(literals[0])) {
            return Result.error("expected the line to start with '" + literals[0] + "' (format " + name + ")");
        }
        int pos = literals[0].length();
        for (int k = 0; k < slots.length; k++) {
            Slot slot = slots[k];
            String next = literals[k + 1];
            boolean quoted = literals[k].endsWith("\"") && next.startsWith("\"");
            int end;
            if (slot.field() == Field.TIME_CLF_BRACKETED && pos < line.length() && line.charAt(pos) == '[') {
                int close = line.indexOf(']', pos);
                end = close < 0 ? -1 : close + 1;
            } else if (next.isEmpty()) {
                end = lastFieldEnd(line, pos, slot.field());
            } else if (quoted) {
                end = closingQuote(line, pos, next);
            } else {
                end = line.indexOf(next, pos);
            }
            if (end < 0 || !line.startsWith(next, end)) {
                return Result.error("expected '" + next + "' after " + slot.token() + " at column " + (pos + 1)
                        + " (format " + name + ")");
            }
            String value = line.substring(pos, end);
            f.set(slot.field(), quoted ? unescape(value) : value);
            pos = end + next.length();
        }
        return f.build(clients);
    }

    /** The last field of a format with no literal after it: a word, or for free text the rest of the line. */
    private static int lastFieldEnd(String line, int pos, Field field) {
        return switch (field) {
            case REQUEST_LINE, USER_AGENT, REFERRER, TIME_CLF, FORWARDED_FOR -> line.length();
            default -> {
                int space = line.indexOf(' ', pos);
                yield space < 0 ? line.length() : space;
            }
        };
    }

    /** The first quote not escaped with a backslash that {@code next} starts at; else the first unescaped one. */
    private static int closingQuote(String line, int from, String next) {
        int first = -1;
        for (int k = from; k < line.length(); k++) {
            char c = line.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '"') {
                if (line.startsWith(next, k)) {
                    return k;
                }
                if (first < 0) {
                    first = k;
                }
            }
        }
        return first;
    }

    /** Undoes nginx's ({@code \x22}, {@code \x5C}) and Apache's/JSON's ({@code \"}, {@code \\}) escapes of quotes. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\' && k + 1 < s.length()) {
                char next = s.charAt(k + 1);
                if (next == '"' || next == '\\') {
                    out.append(next);
                    k++;
                    continue;
                }
                if (next == 'x' && k + 3 < s.length()) {
                    String hex = s.substring(k + 2, k + 4);
                    if (hex.equalsIgnoreCase("22") || hex.equalsIgnoreCase("5c")) {
                        out.append(hex.equals("22") ? '"' : '\\');
                        k += 3;
                        continue;
                    }
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TemplateFormat t && t.layout().equals(layout()) && Objects.equals(t.name, name);
    }

    @Override
    public int hashCode() {
        return layout().hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
