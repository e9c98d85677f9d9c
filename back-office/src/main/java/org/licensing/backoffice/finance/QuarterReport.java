package org.licensing.backoffice.finance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateData;

/**
 * What renews in a quarter, from the issuer's search rows of the licenses whose expiry falls in it: counts per
 * product and per customer (plain: the resource pages through the issuer and hands the rows here).
 */
public final class QuarterReport {

    /** A product's or customer's line: its key (code or id), name and number of licenses. */
    @TemplateData
    public record Line(String key, String name, int licenses) {
    }

    private final Map<String, int[]> products = new TreeMap<>();
    private final Map<String, String> productNames = new TreeMap<>();
    private final Map<String, int[]> customers = new TreeMap<>();
    private final Map<String, String> customerNames = new TreeMap<>();
    private int total;

    public void add(JsonNode license) {
        String product = license.path("productCode").asText("");
        String customer = license.path("customerId").asText("");
        products.computeIfAbsent(product, k -> new int[1])[0]++;
        productNames.put(product, license.path("productName").asText(product));
        customers.computeIfAbsent(customer, k -> new int[1])[0]++;
        customerNames.put(customer, license.path("customerName").asText(customer));
        total++;
    }

    public int total() {
        return total;
    }

    /** By product code. */
    public List<Line> byProduct() {
        List<Line> out = new ArrayList<>();
        products.forEach((k, v) -> out.add(new Line(k, productNames.get(k), v[0])));
        return out;
    }

    /** By customer name (then id), the way finance looks a customer up. */
    public List<Line> byCustomer() {
        List<Line> out = new ArrayList<>();
        customers.forEach((k, v) -> out.add(new Line(k, customerNames.get(k), v[0])));
        out.sort((a, b) -> a.name().equalsIgnoreCase(b.name()) ? a.key().compareTo(b.key())
                : a.name().compareToIgnoreCase(b.name()));
        return out;
    }
}
