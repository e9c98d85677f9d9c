package org.licensing.support.csv;

/**
 * The one way a service writes a text field into CSV (RFC 4180): every text field quoted, quotes doubled, and
 * spreadsheet formulas defused. A spreadsheet starts a formula at a cell's first character when it is one of
 * {@code = + - @} (or a tab or carriage return, which some strip first), and the cell may begin <em>inside</em> a
 * value: Excel and LibreOffice split on the list separator of the user's locale ({@code ;} in German, French and
 * Dutch Excel, a tab or {@code |} in import dialogs), and quoting does not stop a second, naive split. So a
 * {@code '} goes in front of such a character at the start of the value and after every separator
 * ({@code , ; tab |} and line breaks), spaces between skipped (OWASP "CSV injection"). The {@code '} shows in the
 * cell, which is the point: the value reads as text.
 */
public final class CsvText {

    private static final String SEPARATORS = ",;\t|\r\n";
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private CsvText() {
    }

    /** Appends {@code value} as one quoted, defused CSV field ({@code ""} for null or empty). */
    public static StringBuilder field(StringBuilder out, String value) {
        out.append('"');
        if (value != null) {
            String v = defuse(value);
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '"') {
                    out.append('"');
                }
                out.append(c);
            }
        }
        return out.append('"');
    }

    /** {@code value} with a {@code '} before each character that would start a formula in some cell it lands in. */
    public static String defuse(String value) {
        StringBuilder out = null;
        boolean cellStart = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (cellStart && FORMULA_STARTS.indexOf(c) >= 0) {
                if (out == null) {
                    out = new StringBuilder(value.length() + 8).append(value, 0, i);
                }
                out.append('\'');
                cellStart = false; // the quote makes the rest of this cell text
            } else if (cellStart && c != ' ') {
                cellStart = false;
            }
            if (out != null) {
                out.append(c);
            }
            if (SEPARATORS.indexOf(c) >= 0) {
                cellStart = true;
            }
        }
        return out == null ? value : out.toString();
    }
}
