package io.streamwreck.cfn;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code make deploy DRY_RUN=1} (and {@code make deploy-plan}) print the commands make deploy runs, in order,
 * and run none of them; run for real against stand-ins of {@code aws} and {@code mvn}, make deploy runs exactly
 * the printed commands.
 */
class DeployPlanTest {

    private static final List<String> ARGS = List.of("BUCKET=example-artifacts", "REGION=eu-west-1", "IMAGE_TAG=abc123");

    private static Path fakes;
    private static Path calls;

    record Run(int exitCode, String stdout, String stderr) {
    }

    @BeforeAll
    static void fakeAwsAndMaven(@TempDir Path dir) throws IOException {
        fakes = fakeTools(dir);
        calls = fakes.resolve("calls");
    }

    /** A directory to put first on PATH: {@code aws} and {@code mvn} that only write their arguments to "calls". */
    static Path fakeTools(Path dir) throws IOException {
        for (String tool : List.of("aws", "mvn")) {
            Path script = dir.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho \"" + tool + " $*\" >> '" + dir.resolve("calls") + "'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    /** What {@code make deploy DRY_RUN=1} prints with the default names (and nothing real on PATH to run). */
    static String defaultPlan() {
        try {
            Path dir = fakeTools(Files.createTempDirectory("cfn-plan"));
            try {
                Run run = make(dir, "deploy", "DRY_RUN=1", ARGS.get(0), ARGS.get(1), ARGS.get(2));
                assertThat(run.exitCode()).as(run.stderr()).isZero();
                assertThat(dir.resolve("calls")).as("the dry run ran something").doesNotExist();
                return run.stdout();
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theDryRunPrintsEveryCommandInOrderAndRunsNone() throws Exception {
        Files.deleteIfExists(calls);
        Run run = make(fakes, "deploy", "DRY_RUN=1", ARGS.get(0), ARGS.get(1), ARGS.get(2));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout().lines()).containsExactly(
                "mvn -B -ntp -q install -DskipTests -pl checker-lambda,notified-lambda -am",
                "aws cloudformation deploy --region eu-west-1 --stack-name streamwreck-vpc --template-file cfn/vpc.yaml"
                        + " --parameter-overrides Egress=endpoints --no-fail-on-empty-changeset",
                "mkdir -p cfn/target",
                "aws cloudformation package --region eu-west-1 --template-file cfn/template.yaml"
                        + " --s3-bucket example-artifacts --s3-prefix streamwreck --output-template-file cfn/target/packaged.yaml",
                "aws cloudformation deploy --region eu-west-1 --stack-name streamwreck --template-file cfn/target/packaged.yaml"
                        + " --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset"
                        + " --parameter-overrides VpcStackName=streamwreck-vpc ProcessorImageRepository=streamwreck-processor"
                        + " ProcessorImageTag=abc123 FleetSize=2",
                "aws cloudformation describe-stacks --region eu-west-1 --stack-name streamwreck"
                        + " --query 'Stacks[0].Outputs' --output table");
        assertThat(calls).as("the dry run ran something").doesNotExist();

        Run plan = make(fakes, "deploy-plan", ARGS.get(0), ARGS.get(1), ARGS.get(2));
        assertThat(plan.stdout()).isEqualTo(run.stdout());
    }

    @Test
    void deployRunsExactlyWhatThePlanPrinted() throws Exception {
        String plan = defaultPlan();
        Files.deleteIfExists(calls);
        Run run = make(fakes, "deploy", ARGS.get(0), ARGS.get(1), ARGS.get(2));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<String> expected = new ArrayList<>();
        plan.lines().filter(l -> !l.startsWith("mkdir ")).forEach(l -> expected.add(l.replace("'", "")));
        assertThat(Files.readAllLines(calls)).containsExactlyElementsOf(expected);
    }

    @Test
    void undeployDeletesTheApplicationBeforeTheNetworkItImports() throws Exception {
        Run run = make(fakes, "undeploy", "DRY_RUN=1", "REGION=us-east-2", "STACK=sw-test", "VPC_STACK=sw-net");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout().lines()).containsExactly(
                "aws cloudformation delete-stack --region us-east-2 --stack-name sw-test",
                "aws cloudformation wait stack-delete-complete --region us-east-2 --stack-name sw-test",
                "aws cloudformation delete-stack --region us-east-2 --stack-name sw-net",
                "aws cloudformation wait stack-delete-complete --region us-east-2 --stack-name sw-net");
    }

    @Test
    void deployWithoutABucketSaysWhatToSet() throws Exception {
        Run run = make(fakes, "deploy", "DRY_RUN=1", "REGION=eu-west-1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("set BUCKET");
        Run noRegion = make(fakes, "deploy", "DRY_RUN=1", "BUCKET=b", "REGION=");
        assertThat(noRegion.exitCode()).isEqualTo(2);
        assertThat(noRegion.stderr()).contains("set REGION");
    }

    private static Run make(Path fakeTools, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("make", "-s", "--no-print-directory", "-C", Repo.root().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        // Run from `make test`, this JVM inherits the outer make's flags and variables: they must not leak in.
        for (String v : List.of("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "MVN", "STACK", "VPC_STACK",
                "BUCKET", "REGION", "IMAGE_TAG", "IMAGE_REPO", "FLEET_SIZE", "EGRESS", "PARAMS", "DRY_RUN",
                "AWS_REGION", "AWS_DEFAULT_REGION")) {
            env.remove(v);
        }
        env.put("PATH", fakeTools + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        Path out = Files.createTempFile("make-out", ".txt");
        Path err = Files.createTempFile("make-err", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("make " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
