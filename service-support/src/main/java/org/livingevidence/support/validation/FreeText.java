package org.livingevidence.support.validation;

import java.util.List;
import org.livingevidence.support.problems.Problem.FieldError;

/**
 * The rules every free-text field follows: a maximum length in characters (Unicode code points, as JSON Schema's
 * {@code maxLength} counts them, so anything accepted here is valid in the event), and no control characters, which
 * have no place in a title and break XML feeds. Multi-line fields (reasons, quotes, notes) may hold line breaks and
 * tabs; single-line fields (titles, labels, names) may not.
 */
public final class FreeText {

    /** Whether a field may span lines. */
    public enum Lines { SINGLE, MULTI }

    private FreeText() {
    }

    /** Adds an error for {@code field} when {@code value} (null allowed) is too long or holds a forbidden character. */
    public static void check(List<FieldError> errors, String field, String value, int maxLength, Lines lines) {
        if (value == null) {
            return;
        }
        int length = value.codePointCount(0, value.length());
        if (length > maxLength) {
            errors.add(new FieldError(field, "must be at most " + maxLength + " characters, was " + length));
            return;
        }
        int forbidden = firstForbidden(value, lines);
        if (forbidden >= 0) {
            errors.add(new FieldError(field, "must not contain the control character U+" + String.format("%04X", forbidden)
                    + (lines == Lines.SINGLE ? " (line breaks and tabs included: it is one line)" : "")));
        }
    }

    /** A required text: present, not blank, and following {@link #check}. */
    public static void require(List<FieldError> errors, String field, String value, int maxLength, Lines lines) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
            return;
        }
        check(errors, field, value, maxLength, lines);
    }

    /** Adds an error when a list has more than {@code maxItems} entries. */
    public static boolean checkCount(List<FieldError> errors, String field, List<?> values, int maxItems) {
        if (values != null && values.size() > maxItems) {
            errors.add(new FieldError(field, "may list at most " + maxItems + " entries, had " + values.size()));
            return false;
        }
        return true;
    }

    /**
     * The first code point not allowed, or -1: C0 controls (except tab, line feed and carriage return in multi-line
     * text), DEL, C1 controls, the Unicode line and paragraph separators, the noncharacters U+FFFE and U+FFFF, and
     * unpaired surrogates: everything XML 1.0 cannot carry or a terminal would act on.
     */
    static int firstForbidden(String value, Lines lines) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            boolean lineBreakOrTab = cp == '\t' || cp == '\n' || cp == '\r';
            if ((cp < 0x20 && !(lineBreakOrTab && lines == Lines.MULTI)) || (cp >= 0x7f && cp <= 0x9f)
                    || cp == 0x2028 || cp == 0x2029 || cp == 0xfffe || cp == 0xffff
                    || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
                return cp;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }
}
