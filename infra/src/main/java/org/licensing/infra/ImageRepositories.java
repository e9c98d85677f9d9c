package org.licensing.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.amazon.awscdk.services.ecr.TagStatus;
import software.constructs.Construct;

/** One ECR repository per service ({@code licensing/<service>}): immutable tags, scanned on push, retained. */
final class ImageRepositories extends Part {

    private final Map<String, Repository> repositories = new LinkedHashMap<>();

    ImageRepositories(Construct scope, String id) {
        super(scope, id);
        for (String[] service : new String[][] {{"Issuer", Services.ISSUER}, {"Validator", Services.VALIDATOR},
                {"Notification", Services.NOTIFICATION}, {"BackOffice", Services.BACK_OFFICE}}) {
            repositories.put(service[0], Repository.Builder.create(this, service[0] + "Images")
                    .repositoryName(Services.IMAGE_REPOSITORY_PREFIX + service[1])
                    .imageTagMutability(TagMutability.IMMUTABLE)
                    .imageScanOnPush(true)
                    .lifecycleRules(List.of(
                            LifecycleRule.builder().rulePriority(1).description("drop untagged layers after 14 days")
                                    .tagStatus(TagStatus.UNTAGGED).maxImageAge(Duration.days(14)).build(),
                            LifecycleRule.builder().rulePriority(2).description("keep the 50 newest releases")
                                    .tagStatus(TagStatus.ANY).maxImageCount(50).build()))
                    .removalPolicy(RemovalPolicy.RETAIN)
                    .build());
        }
    }

    /** Repository by the service's short name (Issuer, Validator, Notification, BackOffice), in that order. */
    Map<String, Repository> byService() {
        return repositories;
    }
}
