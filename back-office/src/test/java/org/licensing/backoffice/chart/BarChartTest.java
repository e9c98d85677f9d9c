package org.licensing.backoffice.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class BarChartTest {

    static List<BigDecimal> values(String... v) {
        List<BigDecimal> out = new ArrayList<>();
        for (String s : v) {
            out.add(s == null ? null : new BigDecimal(s));
        }
        return out;
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void stackedBarsAreProportionalAndLabelled() throws Exception {
        String svg = BarChart.svg("Renewals", List.of("Jan", "Feb", "Mar"),
                List.of(new BarChart.Series("gpu-cluster", values("2", "0", "4")),
                        new BarChart.Series("render", values("2", null, "1"))), null, null);
        Document doc = parse(svg);
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertEquals("Renewals", doc.getElementsByTagName("title").item(0).getTextContent());
        NodeList rects = doc.getElementsByTagName("rect");
        List<Integer> heights = new ArrayList<>();
        List<String> tips = new ArrayList<>();
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            if (r.getElementsByTagName("title").getLength() > 0) {
                heights.add(Integer.parseInt(r.getAttribute("height")));
                tips.add(r.getElementsByTagName("title").item(0).getTextContent());
            }
        }
        // the top is 5 (nice ceiling of 5), the plot 160 px: 1 = 32 px; zero and null draw nothing
        assertEquals(List.of(64, 64, 128, 32), heights);
        assertEquals(List.of("Jan, gpu-cluster: 2", "Jan, render: 2", "Mar, gpu-cluster: 4", "Mar, render: 1"), tips);
        assertTrue(svg.contains(">gpu-cluster</text>") && svg.contains(">render</text>"), "a legend: " + svg);
        assertTrue(svg.contains(">Feb</text>"), "every category is labelled");
        assertFalse(svg.contains("<script"), svg);
    }

    @Test
    void aReferenceLineShowsTheLimit() throws Exception {
        String svg = BarChart.svg("cuda.device", List.of("1 Dec", "2 Dec"),
                List.of(new BarChart.Series("average in use", values("3.5", "6"))), new BigDecimal("8"), "Entitled");
        Document doc = parse(svg);
        boolean dashedAtLimit = false;
        NodeList lines = doc.getElementsByTagName("line");
        for (int i = 0; i < lines.getLength(); i++) {
            Element l = (Element) lines.item(i);
            // top 10, plot 160: the limit 8 is 128 px above the base line at y 176
            dashedAtLimit |= l.hasAttribute("stroke-dasharray") && l.getAttribute("y1").equals("48");
        }
        assertTrue(dashedAtLimit, svg);
        assertTrue(svg.contains(">Entitled: 8</text>"), svg);
        assertTrue(svg.contains(">3.5</text>"), "decimals as they are");
    }

    @Test
    void textIsEscapedAndTheDataUriDecodesToTheSvg() throws Exception {
        String svg = BarChart.svg("<script>alert(1)</script>", List.of("a&b"),
                List.of(new BarChart.Series("\"><script>x</script>", values("1"))), null, null);
        parse(svg);
        assertFalse(svg.contains("<script"), svg);
        assertTrue(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), svg);
        String uri = BarChart.dataUri(svg);
        assertTrue(uri.startsWith("data:image/svg+xml;base64,"));
        assertEquals(svg, new String(Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1)),
                StandardCharsets.UTF_8));
    }

    @Test
    void ticksAreRound() {
        assertEquals(new BigDecimal("1"), BarChart.niceCeiling(BigDecimal.ZERO));
        assertEquals(new BigDecimal("5"), BarChart.niceCeiling(new BigDecimal("4")));
        assertEquals(new BigDecimal("2E+1"), BarChart.niceCeiling(new BigDecimal("12")));
        assertEquals(new BigDecimal("1E+2"), BarChart.niceCeiling(new BigDecimal("51")));
        assertEquals(new BigDecimal("0.5"), BarChart.niceCeiling(new BigDecimal("0.35")));
        assertEquals(new BigDecimal("1E+1"), BarChart.niceCeiling(new BigDecimal("10")));
    }
}
