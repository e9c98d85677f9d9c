package org.licensing.issuer.readmodel;

import java.util.List;

import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.licensing.core.license.LicenseStatus;
import org.licensing.core.search.InvalidFilterException;
import org.licensing.core.search.LicenseFilters;
import org.licensing.issuer.openapi.Examples;

/**
 * The query parameters of a license search, its stats and its CSV export (one {@code @BeanParam}, so the three
 * operations document the same parameters). Plain strings: the filters are parsed by license-core's
 * {@link LicenseFilters} (the one definition the back office and licensectl use too), the sort and page by
 * {@link LicenseSearch#parse}, which answers 400 naming the parameter (a JAX-RS conversion failure of a query
 * parameter would be a bare 404). The filter parameters carry {@link LicenseFilters}' names.
 */
public class SearchParams {

    @QueryParam(LicenseFilters.Q)
    @Parameter(description = "Case-insensitive: a license id prefix, part of the customer name, or a customer"
            + " external id prefix", example = "acme")
    public String q;

    @QueryParam(LicenseFilters.STATUS)
    @Parameter(description = "Repeatable: any of the given statuses",
            schema = @Schema(type = SchemaType.ARRAY, implementation = LicenseStatus.class))
    public List<String> status;

    @QueryParam(LicenseFilters.PRODUCT_CODE)
    @Parameter(example = "gpu-cluster")
    public String productCode;

    @QueryParam(LicenseFilters.POLICY_ID)
    @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    public String policyId;

    @QueryParam(LicenseFilters.CUSTOMER_ID)
    @Parameter(description = "Portal tokens always see their own customer only",
            schema = @Schema(type = SchemaType.STRING, format = "uuid"))
    public String customerId;

    @QueryParam(LicenseFilters.EXPIRES_AFTER)
    @Parameter(description = "expiresAt >= this instant", example = Examples.INSTANT,
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    public String expiresAfter;

    @QueryParam(LicenseFilters.EXPIRES_BEFORE)
    @Parameter(description = "expiresAt < this instant", example = Examples.INSTANT,
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    public String expiresBefore;

    @QueryParam(LicenseFilters.ISSUED_AFTER)
    @Parameter(description = "issuedAt >= this instant", example = Examples.INSTANT,
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    public String issuedAfter;

    @QueryParam(LicenseFilters.ISSUED_BEFORE)
    @Parameter(description = "issuedAt < this instant", example = Examples.INSTANT,
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    public String issuedBefore;

    @QueryParam(LicenseFilters.MIN_LIMIT)
    @Parameter(description = "Repeatable, name:decimal: the license's limit of that name is at least the decimal"
            + " (exact comparison; a license without the limit does not match), e.g. cuda.device:8",
            schema = @Schema(type = SchemaType.ARRAY, implementation = String.class))
    public List<String> minLimit;

    @QueryParam("sort")
    @Parameter(description = "Sort key (default expiresAt); ties are ordered by licenseId",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"expiresAt", "issuedAt", "customerName"}))
    public String sort;

    @QueryParam("order")
    @Parameter(description = "Default asc", schema = @Schema(type = SchemaType.STRING, enumeration = {"asc", "desc"}))
    public String order;

    @QueryParam("limit")
    @Parameter(description = "Page size, 1-100 (default 50); not used by stats and CSV",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100"))
    public String limit;

    @QueryParam("cursor")
    @Parameter(description = "nextCursor of the previous page (same filters and sort); not used by stats and CSV")
    public String cursor;

    /**
     * The filters, parsed.
     *
     * @throws InvalidFilterException naming the first invalid parameter
     */
    public LicenseFilters filters() {
        return LicenseFilters.parse(q, status, productCode, policyId, customerId, expiresAfter, expiresBefore,
                issuedAfter, issuedBefore, minLimit);
    }
}
