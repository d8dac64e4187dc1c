package io.streamwreck.local.standin;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** moto server (the preinstalled Python package) serving SNS and SQS on one loopback port. */
final class MotoServer implements StandIn {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final TetheredProcess process;
    private final URI endpoint;
    private final Duration startupTime;

    private MotoServer(TetheredProcess process, URI endpoint, Duration startupTime) {
        this.process = process;
        this.endpoint = endpoint;
        this.startupTime = startupTime;
    }

    static MotoServer start(Path logDir) {
        Path binary = Executables.require("moto_server", "MOTO_SERVER",
                "Install moto with its server extra (pip install 'moto[server]').");
        return PortConflicts.retry(() -> startOnce(binary, logDir));
    }

    private static MotoServer startOnce(Path binary, Path logDir) {
        int port = LoopbackPorts.free();
        long began = System.nanoTime();
        TetheredProcess process = TetheredProcess.start("moto",
                List.of(binary.toString(), "-H", LoopbackPorts.HOST, "-p", Integer.toString(port)),
                Map.of("PYTHONUNBUFFERED", "1", "MOTO_ACCOUNT_ID", AwsClients.ACCOUNT_ID),
                logDir, logDir.resolve("moto.log"));
        URI endpoint = URI.create("http://" + LoopbackPorts.HOST + ":" + port);
        try (SnsClient sns = AwsClients.sns(endpoint); SqsClient sqs = AwsClients.sqs(endpoint)) {
            Readiness.await(process, READY_TIMEOUT, () -> LoopbackPorts.accepting(port)
                    && sns.listTopics().topics() != null && sqs.listQueues().queueUrls() != null);
        } catch (RuntimeException e) {
            process.stop();
            throw e;
        }
        return new MotoServer(process, endpoint, Duration.ofNanos(System.nanoTime() - began));
    }

    @Override
    public String name() {
        return "moto";
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public Duration startupTime() {
        return startupTime;
    }

    TetheredProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop();
    }
}
