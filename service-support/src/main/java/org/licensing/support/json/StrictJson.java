package org.licensing.support.json;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * The one rule for request bodies in every service: an unknown JSON field is an error (400
 * {@code malformed-request-body}), so a misspelled field ({@code expiresAT}, {@code usge}) is never silently
 * ignored. Runs after Quarkus' own customizer, so it wins over {@code quarkus.jackson.fail-on-unknown-properties}.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
