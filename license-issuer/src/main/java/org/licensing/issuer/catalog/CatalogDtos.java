package org.licensing.issuer.catalog;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.licensing.issuer.openapi.Examples;

/** Request and answer bodies of the catalog API. */
public final class CatalogDtos {

    public static final String PRODUCT_CODE = "[a-z0-9][a-z0-9-]{1,63}";

    private CatalogDtos() {
    }

    @Schema(name = "CreateCustomer", example = Examples.CREATE_CUSTOMER)
    public record CreateCustomer(
            @NotBlank @Size(max = 200) String name,
            @Size(min = 1, max = 100) @Pattern(regexp = "[A-Za-z0-9._:-]+") String externalId,
            @Schema(description = "Default ACTIVE") CustomerStatus status) {
    }

    /** A change of a customer: absent fields stay; at least one of name, externalId, status. */
    @Schema(name = "UpdateCustomer", example = Examples.UPDATE_CUSTOMER)
    public record UpdateCustomer(
            // not blank, in a pattern that JavaScript (the OpenAPI lint, generated clients) reads alike
            @Size(min = 1, max = 200) @Pattern(regexp = "[\\s\\S]*\\S[\\s\\S]*", message = "must not be blank")
            String name,
            @Size(min = 1, max = 100) @Pattern(regexp = "[A-Za-z0-9._:-]+") String externalId,
            @Schema(description = "INACTIVE: no new licenses; existing ones keep their own status")
            CustomerStatus status,
            @Schema(description = "The version the change is based on (or If-Match); 409 stale-version when the"
                    + " customer changed since") @Min(1) Long expectedVersion,
            @Schema(description = "Why (kept in the audit event)") @Size(max = 500) String reason) {
    }

    @Schema(name = "Customer")
    public record CustomerView(UUID id, String name, String externalId, CustomerStatus status, Instant createdAt,
            @Schema(description = "1 at creation, +1 per change: If-Match of a change") long version,
            Instant updatedAt) {
        static CustomerView of(Customer c) {
            return new CustomerView(c.id, c.name, c.externalId, c.status, c.createdAt, c.version, c.updatedAt);
        }
    }

    @Schema(name = "CreateContact", example = Examples.CREATE_CONTACT)
    public record CreateContact(
            @NotBlank @Email @Size(max = 254) String email,
            @Size(max = 200) String name,
            @NotNull ContactRole role) {
    }

    @Schema(name = "Contact")
    public record ContactView(UUID id, UUID customerId, String email, String name, ContactRole role) {
        static ContactView of(Contact c) {
            return new ContactView(c.id, c.customerId, c.email, c.name, c.role);
        }
    }

    @Schema(name = "CreateProduct", example = Examples.CREATE_PRODUCT)
    public record CreateProduct(
            @NotBlank @Pattern(regexp = PRODUCT_CODE, message = "must be 2-64 lower-case letters, digits or '-'")
            String code,
            @NotBlank @Size(max = 200) String name) {
    }

    @Schema(name = "Product")
    public record ProductView(String code, String name, Instant createdAt) {
        static ProductView of(Product p) {
            return new ProductView(p.code, p.name, p.createdAt);
        }
    }

    @Schema(name = "CreatePolicy", example = Examples.CREATE_POLICY)
    public record CreatePolicy(
            @NotBlank @Pattern(regexp = PRODUCT_CODE) String productCode,
            @NotBlank @Size(max = 200) String name,
            @NotNull @Min(1) @Max(3650) Integer durationDays,
            @Min(0) @Max(365) Integer graceDays,
            @Schema(description = "0 = unlimited") @Min(0) @Max(100000) Integer maxActivations,
            @Schema(description = "0 = never expire activations") @Min(0) @Max(8760) Integer heartbeatHours,
            @Schema(description = "0 = unlimited") @Min(0) @Max(1000) Integer maxDeactivationsPerDay,
            @Min(0) @Max(100) Integer overagePercent,
            @Schema(description = "The longest checkout (air-gapped license file bound to a machine), in days;"
                    + " default " + Policy.DEFAULT_MAX_CHECKOUT_DAYS) @Min(1) @Max(3650) Integer maxCheckoutDays,
            @Schema(description = "Whether license files bound to no machine exist for its licenses (GET"
                    + " /v1/licenses/{id}/file); default false") Boolean allowUnboundFiles,
            @Schema(description = "Whether a site's relay checkout is renewed only after its usage reports reach the"
                    + " previous relay checkout's issue time (409 usage-report-required otherwise); default false")
            Boolean requireUsageReports,
            @Valid EntitlementsDto entitlements) {
    }

    @Schema(name = "Policy")
    public record PolicyView(UUID id, String productCode, String name, int durationDays, int graceDays,
            int maxActivations, int heartbeatHours, int maxDeactivationsPerDay, int overagePercent,
            int maxCheckoutDays, boolean allowUnboundFiles, boolean requireUsageReports, EntitlementsDto entitlements,
            Instant createdAt) {
        static PolicyView of(Policy p) {
            return new PolicyView(p.id, p.productCode, p.name, p.durationDays, p.graceDays, p.maxActivations,
                    p.heartbeatHours, p.maxDeactivationsPerDay, p.overagePercent, p.maxCheckoutDays,
                    p.allowUnboundFiles, p.requireUsageReports, EntitlementsDto.of(p.entitlements), p.createdAt);
        }
    }
}
