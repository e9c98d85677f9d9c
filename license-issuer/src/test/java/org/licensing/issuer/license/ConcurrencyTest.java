package org.licensing.issuer.license;

import static org.junit.jupiter.api.Assertions.*;
import static org.licensing.issuer.support.Api.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.licensing.issuer.support.Api;
import org.licensing.testsupport.ServiceTest;

@ServiceTest
class ConcurrencyTest {

    @Test
    void twoConcurrentRenewalsOneWinsOneGets409() throws Exception {
        String id = Api.fixture().issue().getString("licenseId");
        String token = admin();
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int days : new int[] {30, 60}) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        barrier.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return as(token).body(Map.of("expectedVersion", 1, "extendDays", days))
                            .post("/v1/licenses/" + id + "/renew").statusCode();
                }, pool));
            }
            List<Integer> codes = calls.stream().map(CompletableFuture::join).sorted().toList();
            assertEquals(List.of(200, 409), codes);
        } finally {
            pool.shutdownNow();
        }
        as(admin()).get("/v1/licenses/" + id).then().statusCode(200)
                .body("version", org.hamcrest.Matchers.is(2));
    }

    @Test
    void racingRenewalsWithoutExpectedVersionNeverLoseAnUpdate() throws Exception {
        String id = Api.fixture().issue().getString("licenseId");
        String token = admin();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> as(token).body(Map.of("extendDays", 1))
                        .post("/v1/licenses/" + id + "/renew").statusCode(), pool));
            }
            long ok = calls.stream().map(CompletableFuture::join).filter(c -> c == 200).count();
            long conflicts = calls.stream().map(CompletableFuture::join).filter(c -> c == 409).count();
            assertEquals(4, ok + conflicts);
            as(admin()).get("/v1/licenses/" + id).then()
                    .body("version", org.hamcrest.Matchers.is((int) (1 + ok)));
        } finally {
            pool.shutdownNow();
        }
    }
}
