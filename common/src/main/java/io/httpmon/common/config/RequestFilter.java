package io.httpmon.common.config;

import io.httpmon.common.RequestBatchSerde.Column;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.StatusClass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which requests a statistics monitor counts: every condition must hold. A condition is a field and what it
 * accepts, written as in {@code [Stats NAME]}:
 *
 * <ul>
 *   <li>a list, separated by commas: {@code section = /api, /login} (exact), {@code status = 4xx, 503} (classes
 *       or codes), {@code method = POST} and {@code vhost = shop.example.com} (case-insensitive; a vhost logged
 *       with its port matches its name too), {@code client = 10.0.0.0/8, 2001:db8::/32} (address blocks, or
 *       exact host names), {@code path = /api/v2/} (prefixes of the path), {@code user_agent = Googlebot}
 *       (substrings);
 *   <li>{@code ~REGEX}: the field's text contains a match ({@code user_agent = ~bot|crawler}, {@code path =
 *       ~^/api/v2/});
 *   <li>either one after {@code !}: the opposite ({@code user_agent = !~bot}).
 * </ul>
 *
 * A request without the field (a log that does not have it) meets no condition but a negated one.
 */
public record RequestFilter(List<Condition> conditions) {

    /** Every request. */
    public static final RequestFilter ALL = new RequestFilter(List.of());

    public RequestFilter {
        conditions = List.copyOf(conditions);
    }

    /** One field's condition, as written ({@code text}). */
    public record Condition(RequestField field, String text, Predicate<String> accepts) {
        boolean test(HttpRequest request) {
            return accepts.test(field.of(request));
        }

        /**
         * Parses what {@code field} accepts; IllegalArgumentException, saying what is wrong, when it is not valid.
         */
        public static Condition parse(RequestField field, String text) {
            String s = text.strip();
            boolean negated = s.startsWith("!");
            String rest = negated ? s.substring(1).strip() : s;
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("nothing to match");
            }
            Predicate<String> matches;
            if (rest.startsWith("~")) {
                Pattern regex;
                try {
                    regex = Pattern.compile(rest.substring(1));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(
                            "not a regular expression: " + e.getDescription() + " at " + e.getIndex());
                }
                matches = value -> value != null && regex.matcher(value).find();
            } else {
                matches = list(field, items(rest));
            }
            Predicate<String> accepts = negated ? value -> !matches.test(value) : matches;
            return new Condition(field, s, accepts);
        }

        private static List<String> items(String list) {
            List<String> items =
                    Arrays.stream(list.split(",")).map(String::strip).toList();
            if (items.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException("an empty item in the list");
            }
            return items;
        }

        private static Predicate<String> list(RequestField field, List<String> items) {
            return switch (field) {
                case SECTION -> {
                    Set<String> sections = new HashSet<>();
                    items.forEach(i -> sections.add(i.startsWith("/") ? i : "/" + i));
                    yield sections::contains;
                }
                case STATUS -> status(items);
                case METHOD, VHOST -> {
                    Set<String> names = new HashSet<>();
                    items.forEach(i -> names.add(i.toLowerCase(Locale.ROOT)));
                    yield value -> {
                        if (value == null) {
                            return false;
                        }
                        String v = value.toLowerCase(Locale.ROOT);
                        int colon = v.lastIndexOf(':');
                        return names.contains(v)
                                || (field == RequestField.VHOST && colon > 0 && names.contains(v.substring(0, colon)));
                    };
                }
                case CLIENT -> client(items);
                case PATH -> value -> value != null && items.stream().anyMatch(value::startsWith);
                case USER_AGENT -> value -> value != null && items.stream().anyMatch(value::contains);
            };
        }

        private static Predicate<String> status(List<String> items) {
            Set<StatusClass> classes = EnumSet.noneOf(StatusClass.class);
            Set<String> codes = new HashSet<>();
            for (String item : items) {
                StatusClass c = StatusClass.parse(item);
                if (c != null) {
                    classes.add(c);
                } else if (item.matches("\\d{1,3}")) {
                    codes.add(Integer.toString(Integer.parseInt(item)));
                } else {
                    throw new IllegalArgumentException("'" + item + "' is neither a status class (4xx) nor a code");
                }
            }
            return value -> value != null
                    && (codes.contains(value) || classes.contains(StatusClass.of(Integer.parseInt(value))));
        }

        private static Predicate<String> client(List<String> items) {
            List<Cidr> blocks = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (String item : items) {
                if (Cidr.address(item.contains("/") ? item.substring(0, item.indexOf('/')) : item) != null) {
                    blocks.add(Cidr.parse(item));
                } else if (item.contains("/")) {
                    throw new IllegalArgumentException("'" + item + "' is not an address block");
                } else {
                    names.add(item.toLowerCase(Locale.ROOT));
                }
            }
            return value -> {
                if (value == null) {
                    return false;
                }
                if (names.contains(value.toLowerCase(Locale.ROOT))) {
                    return true;
                }
                if (blocks.isEmpty()) {
                    return false;
                }
                byte[] address = Cidr.address(value);
                return address != null && blocks.stream().anyMatch(b -> b.contains(address));
            };
        }
    }

    /** Whether {@code request} meets every condition. */
    public boolean test(HttpRequest request) {
        for (Condition condition : conditions) {
            if (!condition.test(request)) {
                return false;
            }
        }
        return true;
    }

    /** The columns the conditions read. */
    public Set<Column> columns() {
        Set<Column> columns = EnumSet.noneOf(Column.class);
        conditions.forEach(c -> columns.add(c.field().column()));
        return columns;
    }

    @Override
    public String toString() {
        return conditions.isEmpty()
                ? "all requests"
                : String.join(
                        ", ",
                        conditions.stream()
                                .map(c -> c.field().key() + " = " + c.text())
                                .toList());
    }
}
