package org.licensing.support.async;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * AWS SDK futures as {@link Uni}s. Failures arrive as the SDK's own exceptions, never wrapped in a
 * {@link CompletionException}, so callers match on {@code ConditionalCheckFailedException},
 * {@code StaleVersionException} and the like.
 */
public final class Async {

    private Async() {
    }

    /**
     * A Uni of the call that resumes on the caller's Vert.x context (when there is one), so Hibernate Reactive, which
     * must stay on its event-loop context, can be used after a DynamoDB call in the same request.
     */
    public static <T> Uni<T> of(Supplier<? extends CompletionStage<T>> call) {
        Context context = Vertx.currentContext();
        Uni<T> uni = Uni.createFrom().completionStage(call).onFailure().transform(Async::unwrap);
        if (context == null) {
            return uni;
        }
        return uni.emitOn(runnable -> context.runOnContext(v -> runnable.run()));
    }

    /** The failure inside {@link CompletionException}/{@link ExecutionException} wrappers (any depth). */
    public static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
