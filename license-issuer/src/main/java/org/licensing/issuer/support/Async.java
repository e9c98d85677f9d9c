package org.licensing.issuer.support;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Turns AWS SDK futures into {@link Uni}s that resume on the caller's Vert.x context, so Hibernate Reactive
 * (which must stay on its event-loop context) can be used after a DynamoDB call in the same request. Failures
 * are unwrapped from {@link CompletionException}.
 */
public final class Async {

    private Async() {
    }

    public static <T> Uni<T> of(Supplier<? extends CompletionStage<T>> call) {
        Context context = Vertx.currentContext();
        Uni<T> uni = Uni.createFrom().completionStage(call)
                .onFailure(CompletionException.class).transform(t -> t.getCause() == null ? t : t.getCause());
        if (context == null) {
            return uni;
        }
        return uni.emitOn(runnable -> context.runOnContext(v -> runnable.run()));
    }
}
