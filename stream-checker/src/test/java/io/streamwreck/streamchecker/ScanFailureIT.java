package io.streamwreck.streamchecker;

import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** Each failure is one clear line on stderr and exit 2, nothing on stdout. */
@WithLocalStack
class ScanFailureIT {

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void assertOneErrorLine(CheckerRun run, String start) {
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr().lines()).singleElement().asString().startsWith(start);
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void anUnknownStream(LocalStack stack) {
        String redis = stack.endpoints().redis().toString();

        CheckerRun run = CheckerRun.run(stack, "--stream", "no-such-stream", "--app", "billing", "--redis", redis);

        assertOneErrorLine(run, "error: ListShards of stream no-such-stream: ");
        assertThat(run.stderr()).contains("no-such-stream", "(Kinesis at " + stack.endpoints().kinesis() + ")");
    }

    @Test
    void anUnreachableLedger(LocalStack stack) throws IOException {
        TestStream stream = TestStream.create(stack, "no-ledger", 1);

        CheckerRun run = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--redis",
                "redis://127.0.0.1:" + closedPort());

        assertOneErrorLine(run, "error: cannot reach the ledger: ");
    }

    @Test
    void anUnreachableCheckerWithARealStream(LocalStack stack) throws IOException {
        TestStream stream = TestStream.create(stack, "no-checker", 1);
        stream.putPlain("shardId-000000000000", 1);
        int port = closedPort();

        CheckerRun run = CheckerRun.run(stack, "--stream", stream.name(), "--endpoint", "http://127.0.0.1:" + port);

        assertOneErrorLine(run, "error: cannot reach the checker at http://127.0.0.1:" + port + ": connection refused");
    }

    @Test
    void anUnreachableKinesis(LocalStack stack) throws IOException {
        int port = closedPort();

        CheckerRun run = CheckerRun.run("--kinesis-endpoint", "http://127.0.0.1:" + port, "--region", "us-east-1",
                "--stream", "orders", "--app", "billing", "--redis", stack.endpoints().redis().toString());

        assertOneErrorLine(run, "error: cannot reach Kinesis at http://127.0.0.1:" + port + " (ListShards of stream orders failed 5 times): ");
    }
}
