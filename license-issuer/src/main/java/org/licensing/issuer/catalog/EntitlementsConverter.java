package org.licensing.issuer.catalog;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import org.licensing.core.license.Entitlements;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Stores {@link Entitlements} as a JSON text column. */
@Converter
public class EntitlementsConverter implements AttributeConverter<Entitlements, String> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String convertToDatabaseColumn(Entitlements e) {
        try {
            return JSON.writeValueAsString(e == null ? Entitlements.NONE : e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public Entitlements convertToEntityAttribute(String text) {
        if (text == null || text.isBlank()) {
            return Entitlements.NONE;
        }
        try {
            return JSON.readValue(text, Entitlements.class);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
