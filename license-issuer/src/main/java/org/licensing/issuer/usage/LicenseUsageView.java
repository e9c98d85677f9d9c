package org.licensing.issuer.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.issuer.openapi.Examples;

/**
 * A license's reported use per quantity per UTC day, beside its entitlement: {@code limit} is the license's limit of
 * that quantity (absent when it has none), {@code averageInUse} the day's quantity-seconds over 86,400 (GPUs in use
 * on average that day, against the limit). Days without a report are absent: the site did not report them (yet).
 */
@Schema(name = "LicenseUsage", example = Examples.LICENSE_USAGE)
public record LicenseUsageView(String licenseId, LocalDate from, LocalDate to, List<QuantityUsage> quantities) {

    static final BigDecimal SECONDS_PER_DAY = BigDecimal.valueOf(86_400);

    /** One quantity: its limit, its total over the range and its days. */
    @Schema(name = "QuantityUsage")
    public record QuantityUsage(String quantity, String limit, String quantitySeconds, List<DayUsage> days) {
    }

    /** One day of one quantity. */
    @Schema(name = "DayUsage")
    public record DayUsage(LocalDate day, String quantitySeconds, String averageInUse) {
    }

    /**
     * The view of {@code figures} (any order) beside {@code limits}: every quantity that was reported or is limited,
     * by name; days in order.
     */
    static LicenseUsageView of(String licenseId, LocalDate from, LocalDate to, List<UsageStore.DailyFigure> figures,
            Map<String, BigDecimal> limits) {
        Map<String, Map<LocalDate, BigDecimal>> byQuantity = new TreeMap<>();
        limits.keySet().forEach(q -> byQuantity.put(q, new TreeMap<>()));
        for (UsageStore.DailyFigure f : figures) {
            byQuantity.computeIfAbsent(f.quantity(), q -> new TreeMap<>()).merge(f.day(), f.quantitySeconds(),
                    BigDecimal::add);
        }
        List<QuantityUsage> out = new ArrayList<>();
        byQuantity.forEach((q, days) -> {
            BigDecimal total = BigDecimal.ZERO;
            List<DayUsage> list = new ArrayList<>();
            for (Map.Entry<LocalDate, BigDecimal> d : days.entrySet()) {
                total = total.add(d.getValue());
                list.add(new DayUsage(d.getKey(), plain(d.getValue()), plain(d.getValue()
                        .divide(SECONDS_PER_DAY, 6, RoundingMode.HALF_UP))));
            }
            BigDecimal limit = limits.get(q);
            out.add(new QuantityUsage(q, limit == null ? null : plain(limit), plain(total), list));
        });
        return new LicenseUsageView(licenseId, from, to, out);
    }

    private static String plain(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }
}
