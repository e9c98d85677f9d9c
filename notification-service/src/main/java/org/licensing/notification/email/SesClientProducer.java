package org.licensing.notification.email;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.licensing.notification.config.RemindersConfig;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;

/**
 * The SES v2 client. quarkus-amazon-services 3.14.1 publishes no sesv2 extension, so this builds the client from
 * this service's own properties ({@code licensing.ses.endpoint-override}, {@code licensing.ses.region},
 * {@code licensing.ses.credentials-type=static} with {@code licensing.ses.access-key-id} and
 * {@code licensing.ses.secret-access-key}), which the test harness and the local runner set. Not
 * {@code quarkus.sesv2.*}: Quarkus warns about every {@code quarkus.*} key no extension owns. Without them the SDK's
 * default region and credential chains apply (prod).
 * SDK retries are off: {@link EmailSender} retries with its own jittered backoff. {@code licensing.ses.interceptors}
 * (class names) adds execution interceptors, as {@code quarkus.<service>.interceptors} does for the other clients.
 */
@ApplicationScoped
public class SesClientProducer {

    @Produces
    @Singleton
    SesV2Client sesV2Client(RemindersConfig config,
            @ConfigProperty(name = "licensing.ses.endpoint-override") Optional<URI> endpoint,
            @ConfigProperty(name = "licensing.ses.region") Optional<String> region,
            @ConfigProperty(name = "licensing.ses.credentials-type") Optional<String> credentialsType,
            @ConfigProperty(name = "licensing.ses.access-key-id") Optional<String> key,
            @ConfigProperty(name = "licensing.ses.secret-access-key")
            Optional<String> secret,
            @ConfigProperty(name = "licensing.ses.interceptors") Optional<List<String>> interceptors) {
        SesV2ClientBuilder builder = SesV2Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.ses().apiCallTimeout())
                        .socketTimeout(config.ses().apiCallTimeout())
                        .build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(config.ses().apiCallTimeout())
                        .executionInterceptors(interceptors.orElse(List.of()).stream()
                                .map(SesClientProducer::interceptor).toList())
                        .build());
        endpoint.ifPresent(builder::endpointOverride);
        region.map(Region::of).ifPresent(builder::region);
        AwsCredentialsProvider credentials = "static".equalsIgnoreCase(credentialsType.orElse("default"))
                && key.isPresent() && secret.isPresent()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(key.get(), secret.get()))
                        : DefaultCredentialsProvider.builder().build();
        return builder.credentialsProvider(credentials).build();
    }

    /** An {@link ExecutionInterceptor} by class name, as {@code quarkus.<service>.interceptors} takes them. */
    static ExecutionInterceptor interceptor(String className) {
        try {
            return (ExecutionInterceptor) Class.forName(className.strip(), true,
                    Thread.currentThread().getContextClassLoader()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("licensing.ses.interceptors: cannot create " + className + ": " + e, e);
        }
    }

    void close(@Disposes SesV2Client client) {
        client.close();
    }
}
