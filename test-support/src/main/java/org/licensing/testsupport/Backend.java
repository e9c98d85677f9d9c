package org.licensing.testsupport;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The external systems the services use. */
public enum Backend {
    DYNAMODB,
    SQS,
    SES,
    POSTGRES;

    /** Parses a comma-separated list such as {@code dynamodb,sqs}; blank means all. */
    public static Set<Backend> parse(String list) {
        if (list == null || list.isBlank()) {
            return EnumSet.allOf(Backend.class);
        }
        Set<Backend> result = EnumSet.noneOf(Backend.class);
        for (String name : list.split(",")) {
            if (!name.isBlank()) {
                result.add(Backend.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            }
        }
        return result;
    }
}
