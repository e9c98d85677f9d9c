package org.licensing.testsupport.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every (service, operation, resource) a service's own code calls on AWS during its tests, so infra can
 * derive least privilege from the code instead of a hand-kept list ({@code RolesFromCallsTest}). Each service's
 * {@code %test} profile adds it to its clients ({@code quarkus.dynamodb.interceptors}, {@code quarkus.sqs.interceptors},
 * {@code licensing.ses.interceptors}); it writes one line per distinct call to {@code target/aws-calls.tsv} of the
 * module under test ({@code service TAB operation TAB resource}).
 *
 * <p>A call counts only when no frame of its calling thread comes from test code (a test-classes directory):
 * fixtures a test writes through the service's own beans are not the service's calls. A service component a
 * test drives directly is not counted either; its calls show up when the service makes them on its own threads
 * (HTTP requests, schedulers, consumers). Under-recording fails the comparison loudly; over-recording would grant
 * too much silently.
 */
public class AwsCallRecorder implements ExecutionInterceptor {

    /** The file, relative to the module directory surefire runs in. */
    public static final Path FILE = Path.of("target", "aws-calls.tsv");

    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    /** JVM-wide (a system property): Quarkus loads this class again in every application it restarts for a test. */
    private static final String STARTED = "harness.aws-calls.started";
    private static final ConcurrentHashMap<Class<?>, Boolean> TEST_CODE = new ConcurrentHashMap<>();
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (WALKER.walk(frames -> frames.anyMatch(f -> isTestCode(f.getDeclaringClass())))) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String line = service + "\t" + operation + "\t" + resource(context.request());
        if (SEEN.add(line)) {
            append(line);
        }
    }

    /** The IAM resource of a request, as the policies name it: a table (or index), a queue, an SES identity. */
    static String resource(SdkRequest request) {
        String table = field(request, "TableName");
        if (table != null) {
            String index = field(request, "IndexName");
            return "table/" + table + (index == null ? "" : "/index/" + index);
        }
        String queueUrl = field(request, "QueueUrl");
        if (queueUrl != null) {
            String path = URI.create(queueUrl).getPath();
            return "queue/" + path.substring(path.lastIndexOf('/') + 1);
        }
        String from = field(request, "FromEmailAddress");
        if (from != null) {
            return "identity/" + from.substring(from.indexOf('@') + 1);
        }
        return "*";
    }

    private static String field(SdkRequest request, String name) {
        return request.getValueForField(name, String.class).orElse(null);
    }

    private static boolean isTestCode(Class<?> type) {
        return TEST_CODE.computeIfAbsent(type, t -> {
            if (t == AwsCallRecorder.class) {
                return false; // this recorder is on every stack it looks at
            }
            CodeSource source = t.getProtectionDomain() == null ? null : t.getProtectionDomain().getCodeSource();
            return source != null && source.getLocation() != null
                    && source.getLocation().getPath().contains("/test-classes/");
        });
    }

    private static synchronized void append(String line) {
        try {
            Files.createDirectories(FILE.toAbsolutePath().getParent());
            boolean first = System.getProperties().putIfAbsent(STARTED, "true") == null;
            // The first line of this JVM replaces what an earlier run left; later ones add to it.
            Files.writeString(FILE, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    first ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record an AWS call in " + FILE.toAbsolutePath(), e);
        }
    }
}
