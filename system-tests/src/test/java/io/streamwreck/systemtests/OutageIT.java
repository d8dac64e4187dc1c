package io.streamwreck.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.system.LocalSystem;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis, then SNS/SQS (moto), unreachable for 30 s mid-run — each frozen with SIGSTOP and thawed with SIGCONT (a
 * restart would lose their data): nothing is lost and nothing is counted twice. The processor holds its checkpoints
 * and retries its notices; the notified Lambda's failed invocations are retried (after 30 s and 60 s, as AWS retries
 * asynchronous invocations) and a notice recorded twice counts once.
 */
@WithLocalStack
class OutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    void redisUnreachableFor30Seconds(LocalStack stack) throws Exception {
        outage(stack, "redis", stack::pauseRedis, stack::resumeRedis);
    }

    @Test
    void snsAndSqsUnreachableFor30Seconds(LocalStack stack) throws Exception {
        outage(stack, "moto", stack::pauseMoto, stack::resumeMoto);
    }

    private static void outage(LocalStack stack, String name, Runnable pause, Runnable resume) throws Exception {
        try (LocalSystem system = Systems.start(stack, name + "-outage", 2, 2)) {
            CompletableFuture<List<String>> load = Systems.load(system, 8_000, 200);
            await("the fleet busy").atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(system.auditLog(1)) && Files.size(system.auditLog(1)) > 20_000);
            pause.run();
            try {
                // The outage lasts OUTAGE; a plain sleep, not an await whose atMost a busy machine could overrun.
                Thread.sleep(OUTAGE.toMillis());
            } finally {
                resume.run();
            }
            List<String> written = load.get();
            system.awaitCaughtUp(written, Duration.ofMinutes(4));

            LocalSystem.CheckerRun run = Systems.check(system);
            JsonNode report = run.report();
            Systems.assertNothingLost(report, written);
            assertThat(Systems.duplicated(report)).as("duplicated").isEmpty();
            assertThat(run.exitCode()).isZero();
            assertThat(system.notified().deadLetteredMessages()).as("notices dead-lettered").isZero();
            assertThat(AuditTruth.read(system, 2).handled().values()).containsOnly(1);
        }
    }
}
