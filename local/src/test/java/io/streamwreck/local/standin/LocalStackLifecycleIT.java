package io.streamwreck.local.standin;

import io.streamwreck.local.cli.LocalMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Starting, stopping and crashing a stack leaves no server running; every server listens on loopback only. */
class LocalStackLifecycleIT {

    @Test
    void everyServerListensOnLoopbackOnlyAndCloseStopsThemAll(@TempDir Path dir) throws Exception {
        List<Integer> ports = new ArrayList<>();
        Map<String, Long> pids;
        try (LocalStack stack = LocalStack.start(dir)) {
            LocalEndpoints e = stack.endpoints();
            for (var uri : List.of(e.kinesis(), e.dynamoDb(), e.sns(), e.redis())) {
                assertThat(uri.getHost()).isEqualTo("127.0.0.1");
                ports.add(uri.getPort());
            }
            for (int port : ports) {
                assertThat(ListeningSockets.addressesListeningOn(port)).as("port %d", port)
                        .isNotEmpty().allMatch(ListeningSockets::isLoopback);
            }
            pids = stack.pids();
            assertThat(pids.values()).allSatisfy(pid -> assertThat(alive(pid)).isTrue());
            assertThat(stack.logDir().resolve("redis.log")).content().contains("Ready to accept connections");
        }
        assertThat(pids.values()).allSatisfy(pid -> assertThat(alive(pid)).as("pid %d", pid).isFalse());
        assertThat(ports).allSatisfy(port -> assertThat(LoopbackPorts.accepting(port)).as("port %d", port).isFalse());
    }

    @Test
    void killingTheOwningJvmWithSigkillTakesEveryServerDownWithIt(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process owner = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LocalMain.class.getName(), "up", "--stack-only", "--state-dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("owner.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(dir.resolve("env")) || !owner.isAlive());
            assertThat(owner.isAlive()).as("the owner JVM started the stack; its log:%n%s", log(dir)).isTrue();
            assertThat(Files.readString(dir.resolve("env"))).contains("export AWS_ENDPOINT_URL_KINESIS=http://127.0.0.1:");
            List<ProcessHandle> servers = owner.descendants().toList();
            assertThat(servers).as("kinesis-local, redis-server and moto processes").hasSizeGreaterThanOrEqualTo(3);

            owner.destroyForcibly();   // SIGKILL: no shutdown hook runs
            assertThat(owner.waitFor(10, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(servers).noneMatch(ProcessHandle::isAlive));
        } finally {
            owner.descendants().forEach(ProcessHandle::destroyForcibly);
            owner.destroyForcibly();
        }
    }

    @Test
    void sigtermStopsTheServersAndRemovesTheEnvFile(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process owner = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LocalMain.class.getName(), "up", "--stack-only", "--state-dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("owner.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(dir.resolve("env")) || !owner.isAlive());
            assertThat(owner.isAlive()).as("owner log:%n%s", log(dir)).isTrue();
            assertThat(Files.readString(dir.resolve("pid")).trim()).isEqualTo(Long.toString(owner.pid()));
            List<ProcessHandle> servers = owner.descendants().toList();

            owner.destroy();   // SIGTERM, what 'make down' sends
            assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(owner.exitValue()).isIn(0, 143);
            assertThat(servers).noneMatch(ProcessHandle::isAlive);
            assertThat(dir.resolve("env")).doesNotExist();
        } finally {
            owner.descendants().forEach(ProcessHandle::destroyForcibly);
            owner.destroyForcibly();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String log(Path dir) throws Exception {
        File f = dir.resolve("owner.log").toFile();
        return f.exists() ? Files.readString(f.toPath()) : "(none)";
    }
}
