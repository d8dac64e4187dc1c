package io.streamwreck.local.standin;

import io.streamwreck.local.junit.WithLocalStack;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithLocalStack
class PostgresServerIT {

    @Test
    void psqlRunsAQueryOnTheLoopbackServer(LocalStack stack) throws Exception {
        PostgresServer postgres = stack.postgres();
        assertThat(stack.postgres()).isSameAs(postgres);
        assertThat(postgres.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/");
        Process psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-p", Integer.toString(postgres.port()),
                "-U", PostgresServer.USER, "-d", PostgresServer.DATABASE, "-tAc", "select 40 + 2").redirectErrorStream(true).start();
        assertThat(psql.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("42");
    }

    @Test
    void theServerCarriesTheStackMarkerThatLeftoverServersLooksFor(LocalStack stack) throws Exception {
        String environ = Files.readString(Path.of("/proc", Long.toString(stack.postgres().pid()), "environ"), StandardCharsets.ISO_8859_1);
        assertThat(environ).contains(TetheredProcess.MARKER + "=");
    }

    @Test
    void aPausedServerStopsAnsweringAndAnswersAgainWhenResumed(LocalStack stack) throws Exception {
        PostgresServer postgres = stack.postgres();
        postgres.pause();
        try {
            assertThatThrownBy(() -> PostgresServer.authenticates(postgres.port())).isInstanceOf(java.net.SocketTimeoutException.class);
        } finally {
            postgres.resume();
        }
        assertThat(PostgresServer.authenticates(postgres.port())).isTrue();
    }
}
