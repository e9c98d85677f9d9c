package org.licensing.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the emails the SES emulator recorded: aws-ses-v2-local's {@code GET /store}, or LocalStack's
 * {@code GET /_aws/ses} when the harness runs on Docker.
 */
public final class SentEmails {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI endpoint;
    private final boolean localStack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SentEmails(URI endpoint, boolean localStack) {
        this.endpoint = endpoint;
        this.localStack = localStack;
    }

    public List<SentEmail> all() {
        JsonNode body = get(localStack ? "/_aws/ses" : "/store");
        List<SentEmail> result = new ArrayList<>();
        for (JsonNode e : body.path(localStack ? "messages" : "emails")) {
            result.add(localStack ? fromLocalStack(e) : fromSesLocal(e));
        }
        return result;
    }

    /** Emails with the given recipient (to, cc or bcc). */
    public List<SentEmail> to(String recipient) {
        return all().stream().filter(e -> e.allRecipients().stream().anyMatch(recipient::equalsIgnoreCase)).toList();
    }

    /** Forgets every recorded email. */
    public void clear() {
        send(HttpRequest.newBuilder(endpoint.resolve(localStack ? "/_aws/ses" : "/clear-store"))
                .method(localStack ? "DELETE" : "POST", HttpRequest.BodyPublishers.noBody()).build());
    }

    private static SentEmail fromSesLocal(JsonNode e) {
        JsonNode dest = e.path("destination");
        return new SentEmail(e.path("messageId").asText(), e.path("from").asText(), list(dest.path("to")),
                list(dest.path("cc")), list(dest.path("bcc")), e.path("subject").asText(),
                textOrNull(e.path("body").path("text")), textOrNull(e.path("body").path("html")),
                Instant.ofEpochSecond(e.path("at").asLong()));
    }

    private static SentEmail fromLocalStack(JsonNode e) {
        JsonNode dest = e.path("Destination");
        return new SentEmail(e.path("Id").asText(), e.path("Source").asText(), list(dest.path("ToAddresses")),
                list(dest.path("CcAddresses")), list(dest.path("BccAddresses")), e.path("Subject").asText(),
                textOrNull(e.path("Body").path("text_part")), textOrNull(e.path("Body").path("html_part")),
                parseInstant(e.path("Timestamp").asText()));
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text.replace(' ', 'T').endsWith("Z") ? text.replace(' ', 'T') : text.replace(' ', 'T') + "Z");
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private static List<String> list(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else if (node.isTextual()) {
            for (String v : node.asText().split(",")) {
                if (!v.isBlank()) {
                    values.add(v.trim());
                }
            }
        }
        return values;
    }

    private static String textOrNull(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private JsonNode get(String path) {
        String body = send(HttpRequest.newBuilder(endpoint.resolve(path)).GET().build());
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("SES emulator answered something that is not JSON: " + body, e);
        }
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("SES emulator did not answer at " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
