package io.streamwreck.cfn;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every environment variable the deployed code reads is set by the template, and every variable the template
 * sets is read by something. What the code reads comes from its compiled classes ({@link EnvironmentNames}), so
 * a new variable in the code fails this test until the template sets it or it is explained below.
 */
class EnvironmentTest {

    /** Read by the code but deliberately not set, on every runtime, and why. */
    private static final Map<String, String> NEVER_SET = Map.of(
            "AWS_ENDPOINT_URL", "local stand-ins only: on AWS the SDK's default endpoints are right",
            "AWS_ENDPOINT_URL_", "prefix of AWS_ENDPOINT_URL_<SERVICE>: local stand-ins only",
            "AWS_DEFAULT_REGION", "fallback for AWS_REGION, which is always present on AWS",
            "SHARD_END", "not a variable: KCL's checkpoint sentinel, which ledger's ConsumerCheckpoints reads in lease tables",
            "TRIM_HORIZON", "not a variable: KCL's initial checkpoint, which ledger's ConsumerCheckpoints reads in lease tables");

    /** Lambda sets these itself (they are reserved: a template may not set them). */
    private static final Map<String, String> LAMBDA_PROVIDES = Map.of(
            "AWS_REGION", "set by the Lambda runtime",
            "AWS_LAMBDA_FUNCTION_NAME", "set by the Lambda runtime",
            "AWS_EXECUTION_ENV", "set by the Lambda runtime (the EMF line's executionEnvironment)",
            "AWS_LAMBDA_FUNCTION_VERSION", "set by the Lambda runtime (the EMF line's functionVersion)",
            "AWS_LAMBDA_LOG_STREAM_NAME", "set by the Lambda runtime (the EMF line's logStreamName)");

    private static final Map<String, Map<String, String>> FUNCTION_UNSET = Map.of(
            "NotifiedFunction", Map.of(
                    "TOPIC_ARN", "read by the shared StreamwreckConfig; the notified function publishes nothing",
                    "AWS_EMF_ENVIRONMENT", "unset: the code chooses Lambda's EMF output from AWS_LAMBDA_FUNCTION_NAME"),
            "CheckerFunction", Map.of(
                    "TOPIC_ARN", "read by the shared StreamwreckConfig; the checker publishes nothing"));

    /** The ledger's settings: the processor carries the shared StreamwreckConfig, but never opens the ledger. */
    private static final Map<String, String> PROCESSOR_NO_LEDGER = Map.of(
            "REDIS_URL", "read by the shared StreamwreckConfig; the processor publishes notices, it never opens the ledger",
            "REDIS_CLUSTER", "as REDIS_URL",
            "LEDGER_TTL", "as REDIS_URL");

    /** The processor's optional settings that must stay unset on the fleet, and why. */
    private static final Map<String, String> PROCESSOR_UNSET = Map.ofEntries(
            Map.entry("WORKER_ID", "KCL's default (host name + UUID) is unique per task; one value in the task definition would not be"),
            Map.entry("SIMULATE_SKIP", "fault injection for tests: drops records on purpose"),
            Map.entry("AUDIT_LOG", "a local file for debugging; the container's file system is read-only"),
            Map.entry("RECORD_HANDLER", "the built-in handler; set it when the image carries your own"),
            Map.entry("POLL_INTERVAL", "tuning knob; the code's default fits the fleet"),
            Map.entry("MAX_RECORDS", "tuning knob; the code's default (Kinesis' maximum) fits the fleet"),
            Map.entry("MAX_PENDING_BATCHES", "tuning knob; the code's default fits the fleet"),
            Map.entry("SHARD_SYNC_INTERVAL", "tuning knob; the code's default fits the fleet"),
            Map.entry("PUBLISH_LINGER", "tuning knob; the code's default fits the fleet"),
            Map.entry("CHECKPOINT_INTERVAL", "tuning knob; the default (after every published batch) fits the fleet"),
            Map.entry("KPL_DEAGGREGATION", "the code's default (strict, KCL's rule, every drop accounted undelivered) is the safe one; all is a choice for streams written by a non-shard-aware aggregator"),
            Map.entry("REPORT_TIMEOUT", "tuning knob; the code's default (30 s) fits the fleet"));

    /** The adapter's settings that stay unset on ECS, and why. */
    private static final Map<String, String> ADAPTER_UNSET = Map.ofEntries(
            Map.entry("ADAPTER_MAINTENANCE_FLAG", "the default path is fine: on ECS a task is taken out by stopping it (SIGTERM drains), "
                    + "the root file system is read-only and the task has no shell to create a flag file in"),
            Map.entry("AWS_ENDPOINT_URL_S3", "local stand-ins only (moto): on AWS the SDK's default endpoint is right"),
            Map.entry("AWS_ENDPOINT_URL_SQS", "local stand-ins only (moto)"),
            Map.entry("AWS_ENDPOINT_URL_KINESIS", "local stand-ins only (kinesis-local)"),
            Map.entry("REDIS_URL", "read by the shared StreamwreckConfig; the adapter writes the stream, it never opens the ledger"),
            Map.entry("REDIS_CLUSTER", "as REDIS_URL"),
            Map.entry("LEDGER_TTL", "as REDIS_URL"),
            Map.entry("STREAM_NAME", "read by the shared StreamwreckConfig; the adapter's streams come from ADAPTER_TABLES"),
            Map.entry("APP_NAME", "read by the shared StreamwreckConfig; the adapter is no consumer"),
            Map.entry("TOPIC_ARN", "read by the shared StreamwreckConfig; the adapter publishes no notices"));

    /** Set by the template for something other than the project's code. */
    private static final Set<String> READ_BY_THE_PLATFORM = Set.of("JAVA_TOOL_OPTIONS");

    @Test
    void theScanFindsWhatTheSharedConfigurationDocuments() {
        // StreamwreckConfig's table of variables (its Javadoc), seen through a deployment jar that contains it.
        Set<String> found = EnvironmentNames.readBy(Repo.builtJar("../notified-lambda/target/notified-lambda.jar"));
        assertThat(found).contains("STREAM_NAME", "APP_NAME", "REDIS_URL", "REDIS_CLUSTER", "TOPIC_ARN",
                "AWS_REGION", "LEDGER_TTL", "AWS_ENDPOINT_URL_", "POWERTOOLS_METRICS_NAMESPACE");
        // Constant field names are not literals: DEFAULT_LEDGER_TTL is a field of StreamwreckConfig, not a variable.
        assertThat(found).doesNotContain("DEFAULT_LEDGER_TTL", "DEFAULT_NAMESPACE");
    }

    @Test
    void theScanReadsPicocliDefaultsAndSkipsEnumConstants() {
        Set<String> found = EnvironmentNames.readBy(Repo.builtJar("../processor/target/processor.jar"));
        assertThat(found).contains("STREAM_NAME", "APP_NAME", "TOPIC_ARN", "INITIAL_POSITION", "KCL_METRICS");
        assertThat(found).doesNotContain("TRIM_HORIZON", "AT_TIMESTAMP");
    }

    @Test
    void everyFunctionHasEveryVariableItsCodeReads() {
        Template t = Repo.template();
        for (var fn : t.resourcesOfType("AWS::Serverless::Function").keySet()) {
            Map<String, Object> props = t.properties(fn);
            Set<String> set = new TreeSet<>(variables(Template.at(t.functionGlobals(), "Environment", "Variables")));
            set.addAll(variables(Template.at(props, "Environment", "Variables")));
            Set<String> read = EnvironmentNames.readBy(Repo.builtJar((String) props.get("CodeUri")));

            Map<String, String> unset = new LinkedHashMap<>(NEVER_SET);
            unset.putAll(LAMBDA_PROVIDES);
            unset.putAll(FUNCTION_UNSET.getOrDefault(fn, Map.of()));
            assertEverythingSet(fn, read, set, unset);
            assertThat(set).as("%s: Lambda reserves these", fn).doesNotContainAnyElementsOf(LAMBDA_PROVIDES.keySet());
        }
    }

    @Test
    void theProcessorFleetHasEveryVariableItsCodeReads() {
        Template t = Repo.template();
        Set<String> set = containerVariables(t, "ProcessorTaskDefinition");
        Set<String> read = EnvironmentNames.readBy(Repo.builtJar("../processor/target/processor.jar"));
        Map<String, String> unset = new LinkedHashMap<>(NEVER_SET);
        unset.putAll(PROCESSOR_UNSET);
        unset.putAll(PROCESSOR_NO_LEDGER);
        assertEverythingSet("ProcessorTaskDefinition", read, set, unset);
    }

    @Test
    void theAdapterTasksHaveEveryVariableTheirCodeReadsAndThePasswordOnlyAsASecret() {
        Template t = Repo.template();
        Set<String> set = containerVariables(t, "AdapterTaskDefinition");
        Set<String> read = EnvironmentNames.readBy(Repo.builtJar("../adapter/target/adapter.jar"));
        assertThat(read).as("the scan sees the adapter's picocli defaults and its secret")
                .contains("ADAPTER_TABLES", "DATABASE_URL", "ADAPTER_QUEUE_URL", "DATABASE_PASSWORD");
        Map<String, String> unset = new LinkedHashMap<>(NEVER_SET);
        unset.putAll(ADAPTER_UNSET);
        assertEverythingSet("AdapterTaskDefinition", read, set, unset);

        Object container = Template.list(t.properties("AdapterTaskDefinition").get("ContainerDefinitions")).get(0);
        // The password comes from Secrets Manager (ECS secrets), never as a plain value; the URL carries none.
        assertThat(Template.list(Template.at(container, "Secrets"))).extracting(e -> Template.map(e).get("Name"))
                .containsExactly("DATABASE_PASSWORD");
        for (Object e : Template.list(Template.at(container, "Environment"))) {
            assertThat(Template.map(e).get("Name")).isNotEqualTo("DATABASE_PASSWORD");
            if ("DATABASE_URL".equals(Template.map(e).get("Name"))) {
                assertThat(Template.map(e).get("Value").toString()).contains("postgresql://streamwreck@").contains("sslmode=require")
                        .doesNotContain("streamwreck:");
            }
        }
    }

    /** The names a task definition's one container gets: its environment and its secrets. */
    private static Set<String> containerVariables(Template t, String taskDefinition) {
        Object containers = t.properties(taskDefinition).get("ContainerDefinitions");
        assertThat(Template.list(containers)).as(taskDefinition).hasSize(1);
        Set<String> set = new TreeSet<>();
        for (String section : List.of("Environment", "Secrets")) {
            Object entries = Template.at(Template.list(containers).get(0), section);
            if (entries != null) {
                for (Object e : Template.list(entries)) {
                    set.add((String) Template.map(e).get("Name"));
                }
            }
        }
        return set;
    }

    private static void assertEverythingSet(String where, Set<String> read, Set<String> set, Map<String, String> unset) {
        Set<String> missing = new TreeSet<>(read);
        missing.removeAll(set);
        missing.removeAll(unset.keySet());
        assertThat(missing).as("%s: the code reads these, the template does not set them (set them, or explain "
                + "in EnvironmentTest why they stay unset)", where).isEmpty();

        Set<String> unused = new TreeSet<>(set);
        unused.removeAll(read);
        unused.removeAll(READ_BY_THE_PLATFORM);
        assertThat(unused).as("%s: the template sets these, no code reads them (a typo?)", where).isEmpty();

        Set<String> explainedButSet = new TreeSet<>(unset.keySet());
        explainedButSet.retainAll(set);
        assertThat(explainedButSet).as("%s: listed as deliberately unset, yet set", where).isEmpty();
    }

    private static Set<String> variables(Object variables) {
        return variables == null ? Set.of() : Template.map(variables).keySet();
    }
}
