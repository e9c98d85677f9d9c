package org.licensing.notification.email;

import java.net.URI;
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
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;

/**
 * The SES v2 client. quarkus-amazon-services 3.14.1 publishes no sesv2 extension, so this builds the client from
 * the same property names one would have ({@code quarkus.sesv2.endpoint-override}, {@code quarkus.sesv2.aws.region},
 * {@code quarkus.sesv2.aws.credentials.type=static} with its static-provider keys), which the test harness and
 * the local runner already set. Without them the SDK's default region and credential chains apply (prod).
 * SDK retries are off: {@link EmailSender} retries with its own jittered backoff.
 */
@ApplicationScoped
public class SesClientProducer {

    @Produces
    @Singleton
    SesV2Client sesV2Client(RemindersConfig config,
            @ConfigProperty(name = "quarkus.sesv2.endpoint-override") Optional<URI> endpoint,
            @ConfigProperty(name = "quarkus.sesv2.aws.region") Optional<String> region,
            @ConfigProperty(name = "quarkus.sesv2.aws.credentials.type") Optional<String> credentialsType,
            @ConfigProperty(name = "quarkus.sesv2.aws.credentials.static-provider.access-key-id") Optional<String> key,
            @ConfigProperty(name = "quarkus.sesv2.aws.credentials.static-provider.secret-access-key")
            Optional<String> secret) {
        SesV2ClientBuilder builder = SesV2Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.ses().apiCallTimeout())
                        .socketTimeout(config.ses().apiCallTimeout())
                        .build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(config.ses().apiCallTimeout())
                        .build());
        endpoint.ifPresent(builder::endpointOverride);
        region.map(Region::of).ifPresent(builder::region);
        AwsCredentialsProvider credentials = "static".equalsIgnoreCase(credentialsType.orElse("default"))
                && key.isPresent() && secret.isPresent()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(key.get(), secret.get()))
                        : DefaultCredentialsProvider.builder().build();
        return builder.credentialsProvider(credentials).build();
    }

    void close(@Disposes SesV2Client client) {
        client.close();
    }
}
