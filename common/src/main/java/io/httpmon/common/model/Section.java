package io.httpmon.common.model;

import java.util.regex.Pattern;

/**
 * A section: what precedes a resource's second {@code /}, the one definition the parser, the statistics, the alert
 * rules and the page share. A rule names a section as the parser makes them ({@link #isSection}).
 */
public final class Section {

    private static final Pattern SECTION = Pattern.compile("/[^/?#\\s\\p{Cntrl}]{0,200}");

    private Section() {}

    /** Whether {@code text} can be a section ({@code /api}): what a rule's {@code section} must be. */
    public static boolean isSection(String text) {
        return text != null && SECTION.matcher(text).matches();
    }

    /**
     * The section of a resource: what precedes its path's second {@code /} ({@code /pages/create?x} to
     * {@code /pages}, {@code /} to {@code /}); null when the resource is not a path (e.g. {@code *}).
     */
    public static String of(String resource) {
        if (resource == null) {
            return null;
        }
        int start = 0;
        int scheme = resource.indexOf("://");
        if (scheme > 0 && scheme < 10) {
            start = resource.indexOf('/', scheme + 3);
            if (start < 0) {
                return "/";
            }
        }
        if (start >= resource.length() || resource.charAt(start) != '/') {
            return null;
        }
        int end = start + 1;
        while (end < resource.length()) {
            char c = resource.charAt(end);
            if (c == '/' || c == '?' || c == '#') {
                break;
            }
            end++;
        }
        return end == start + 1 ? "/" : resource.substring(start, end);
    }
}
