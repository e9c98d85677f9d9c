package org.licensing.support.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Formula defusing at the start and after each separator a spreadsheet may split on; quoting of every field. */
class CsvTextTest {

    static String field(String value) {
        return CsvText.field(new StringBuilder(), value).toString();
    }

    @ParameterizedTest(name = "starts with {0}")
    @ValueSource(strings = {"=", "+", "-", "@", "\t", "\r"})
    void aFormulaAtTheStartIsDefused(String start) {
        assertEquals("'" + start + "1+1", CsvText.defuse(start + "1+1"));
    }

    /** One case per separator: Excel with ';' as list separator (de, fr, nl) splits "Acme;=cmd|..." into cells. */
    @ParameterizedTest(name = "after {0}")
    @ValueSource(strings = {",", ";", "\t", "|", "\n", "\r"})
    void aFormulaAfterASeparatorIsDefused(String separator) {
        assertEquals("Acme" + separator + "'=cmd|' /C calc'!A0",
                CsvText.defuse("Acme" + separator + "=cmd|' /C calc'!A0"));
        assertEquals("Acme" + separator + "'+1", CsvText.defuse("Acme" + separator + "+1"));
        assertEquals("Acme" + separator + "'-1", CsvText.defuse("Acme" + separator + "-1"));
        assertEquals("Acme" + separator + "'@SUM(A1)", CsvText.defuse("Acme" + separator + "@SUM(A1)"));
        // spaces between the separator and the formula do not hide it
        assertEquals("Acme" + separator + "  '=1", CsvText.defuse("Acme" + separator + "  =1"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
        "Acme GPU Cloud#Acme GPU Cloud",
        "Ac=me#Ac=me",
        "a-b-c#a-b-c",
        "cuda.device=16;cuda.shares=2.5#cuda.device=16;cuda.shares=2.5",
        "user@example.com#user@example.com"})
    void valuesWithoutAFormulaStartStayAsTheyAre(String value, String expected) {
        assertEquals(expected, CsvText.defuse(value));
    }

    @Test
    void aTabStartingACellAndTheFormulaAfterItAreBothDefused() {
        assertEquals("'\t'=1", CsvText.defuse("\t=1"));
    }

    @Test
    void everyFieldIsQuotedAndQuotesDoubled() {
        assertEquals("\"plain\"", field("plain"));
        assertEquals("\"\"", field(null));
        assertEquals("\"\"", field(""));
        assertEquals("\"Comma, \"\"Quoted\"\" Inc\nsecond line\"", field("Comma, \"Quoted\" Inc\nsecond line"));
        assertEquals("\"Acme;'=cmd|' /C calc'!A0\"", field("Acme;=cmd|' /C calc'!A0"));
        assertEquals("\"'=HYPERLINK(\"\"http://evil.example\"\")\"", field("=HYPERLINK(\"http://evil.example\")"));
    }
}
