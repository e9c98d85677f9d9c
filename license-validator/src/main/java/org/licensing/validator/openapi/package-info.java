/**
 * The top of this service's OpenAPI document: its info (application.properties' {@code quarkus.smallrye-openapi.info-*}
 * say the same and win) and the problem answers several operations share, referenced by name from the resources
 * ({@link org.licensing.validator.openapi.ValidatorOpenApi} names them; examples in
 * {@link org.licensing.validator.openapi.Examples}). The {@code licenseKey} security scheme stays on
 * {@code ActivationResource}, beside the header it reads.
 */
@OpenAPIDefinition(
        info = @Info(title = "license-validator", version = "0.1.0",
                description = "Validates license keys (signed receipts with offline leases) and tracks machine"
                        + " activations.",
                license = @License(name = "Apache-2.0", identifier = "Apache-2.0")),
        components = @Components(responses = {
            @APIResponse(name = ValidatorOpenApi.BAD_KEY_OR_BODY, responseCode = "400",
                    description = "Malformed or missing key (code MALFORMED_KEY, with a reason) or an invalid body"
                            + " (invalid-request: the detail names the field)",
                    content = @Content(mediaType = ValidatorOpenApi.PROBLEM,
                            schema = @Schema(ref = ValidatorOpenApi.PROBLEM_SCHEMA), examples = {
                                @ExampleObject(name = "malformedKey", value = Examples.MALFORMED_KEY_PROBLEM),
                                @ExampleObject(name = "invalidRequest", value = Examples.INVALID_REQUEST_PROBLEM)})),
            @APIResponse(name = ValidatorOpenApi.BAD_KEY_OR_FINGERPRINT, responseCode = "400",
                    description = "Malformed or missing key (code MALFORMED_KEY) or fingerprint",
                    content = @Content(mediaType = ValidatorOpenApi.PROBLEM,
                            schema = @Schema(ref = ValidatorOpenApi.PROBLEM_SCHEMA),
                            examples = @ExampleObject(name = "malformedKey", value = Examples.MALFORMED_KEY_PROBLEM))),
            @APIResponse(name = ValidatorOpenApi.MACHINE_NOT_ACTIVE, responseCode = "404",
                    description = "Not an active machine (or its floating seat lapsed), or no license matches this"
                            + " key",
                    content = @Content(mediaType = ValidatorOpenApi.PROBLEM,
                            schema = @Schema(ref = ValidatorOpenApi.PROBLEM_SCHEMA), examples = {
                                @ExampleObject(name = "activationNotFound",
                                        value = Examples.ACTIVATION_NOT_FOUND_PROBLEM),
                                @ExampleObject(name = "licenseNotFound", value = Examples.LICENSE_NOT_FOUND_PROBLEM)})),
            @APIResponse(name = ValidatorOpenApi.RATE_LIMITED, responseCode = "429",
                    description = "Too many requests for this key or client address",
                    headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                            schema = @Schema(type = SchemaType.INTEGER)),
                    content = @Content(mediaType = ValidatorOpenApi.PROBLEM,
                            schema = @Schema(ref = ValidatorOpenApi.PROBLEM_SCHEMA),
                            examples = @ExampleObject(name = "rateLimited", value = Examples.RATE_LIMITED_PROBLEM))),
            @APIResponse(name = ValidatorOpenApi.STORE_UNAVAILABLE, responseCode = "503",
                    description = "DynamoDB unreachable and the license not cached",
                    headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                            schema = @Schema(type = SchemaType.INTEGER)),
                    content = @Content(mediaType = ValidatorOpenApi.PROBLEM,
                            schema = @Schema(ref = ValidatorOpenApi.PROBLEM_SCHEMA),
                            examples = @ExampleObject(name = "storeUnavailable",
                                    value = Examples.STORE_UNAVAILABLE_PROBLEM))),
            @APIResponse(name = ValidatorOpenApi.STORE_UNAVAILABLE_OR_BUSY, responseCode = "503",
                    description = "DynamoDB unreachable, or the license changed concurrently too often in a row"
                            + " (retry)",
                    headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                            schema = @Schema(type = SchemaType.INTEGER)),
                    content = @Content(mediaType = ValidatorOpenApi.PROBLEM,
                            schema = @Schema(ref = ValidatorOpenApi.PROBLEM_SCHEMA), examples = {
                                @ExampleObject(name = "storeUnavailable", value = Examples.STORE_UNAVAILABLE_PROBLEM),
                                @ExampleObject(name = "licenseBusy", value = Examples.LICENSE_BUSY_PROBLEM)}))
        }))
package org.licensing.validator.openapi;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
