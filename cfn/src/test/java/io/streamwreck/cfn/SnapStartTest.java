package io.streamwreck.cfn;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SnapStart on both functions, on published versions behind the {@code live} alias, and every event source
 * invoking that alias (not {@code $LATEST}, which SnapStart does not apply to). The event-source wiring is SAM's
 * work, so it is checked on the template as SAM translates it (the SAM translator cfn-lint ships with, run
 * offline), not only on what the template says.
 */
class SnapStartTest {

    private static final Map<String, String> FUNCTIONS = Map.of("NotifiedFunction", "notified", "CheckerFunction", "checker");

    /** Translates the template with samtranslator (code locations replaced by S3 ones, as `aws cloudformation package` does). */
    private static final String TRANSLATE = """
            import json, sys
            from samtranslator.translator.transform import transform
            from samtranslator.yaml_helper import yaml_parse
            t = yaml_parse(open(sys.argv[1]).read())
            for r in t["Resources"].values():
                if r.get("Type") == "AWS::Serverless::Function":
                    r["Properties"]["CodeUri"] = "s3://bucket/" + str(r["Properties"]["CodeUri"]).split("/")[-1]
            class Policies:
                def load(self): pass
                def get(self, name): return "arn:aws:iam::aws:policy/" + name
            json.dump(transform(t, {"AWS::Region": "eu-west-1"}, Policies()), open(sys.argv[2], "w"), default=str)
            """;

    private static Template translated;

    @BeforeAll
    static void translate(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("translate.py");
        Path out = dir.resolve("translated.json");
        Files.writeString(script, TRANSLATE);
        ProcessBuilder builder = new ProcessBuilder("python3", script.toString(), Repo.cfn().resolve("template.yaml").toString(),
                out.toString()).redirectErrorStream(true);
        builder.environment().put("AWS_DEFAULT_REGION", "eu-west-1");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the SAM translation finishes").isTrue();
        assertThat(p.exitValue()).as("SAM translation (samtranslator, installed with cfn-lint):%n%s", output).isZero();
        // JSON is YAML: the tests' reader loads it.
        translated = Template.load(out);
    }

    @Test
    void bothFunctionsHaveSnapStartOnPublishedVersionsBehindAnAlias() {
        Template t = Repo.template();
        assertThat(t.section("Parameters")).as("no switch turns SnapStart off").doesNotContainKey("CheckerSnapStart");
        for (String fn : FUNCTIONS.keySet()) {
            Map<String, Object> props = t.properties(fn);
            assertThat(Template.at(props, "SnapStart", "ApplyOn")).as(fn).isEqualTo("PublishedVersions");
            assertThat(props.get("AutoPublishAlias")).as(fn).isEqualTo("live");
        }
        // SnapStart needs a Java runtime that supports it (java11 and newer).
        assertThat(t.functionGlobals().get("Runtime")).isIn("java21", "java25");
    }

    @Test
    void samPublishesAVersionWithSnapStartAndPointsTheLiveAliasAtIt() {
        for (String fn : FUNCTIONS.keySet()) {
            assertThat(Template.at(translated.properties(fn), "SnapStart", "ApplyOn")).as(fn).isEqualTo("PublishedVersions");
            var versions = translated.resourcesOfType("AWS::Lambda::Version").entrySet().stream()
                    .filter(v -> Map.of("Ref", fn).equals(Template.at(v.getValue(), "Properties", "FunctionName"))).toList();
            assertThat(versions).as("%s: one published version", fn).hasSize(1);
            Map<String, Object> alias = translated.properties(fn + "Aliaslive");
            assertThat(alias.get("Name")).isEqualTo("live");
            assertThat(alias.get("FunctionName")).isEqualTo(Map.of("Ref", fn));
            assertThat(Template.at(alias, "FunctionVersion", "Fn::GetAtt")).asList().containsExactly(versions.get(0).getKey(), "Version");
        }
    }

    @Test
    void theTopicInvokesTheNotifiedAliasAndItsRetriesAndDeadLetteringApplyToIt() {
        Map<String, Object> alias = Map.of("Ref", "NotifiedFunctionAliaslive");
        var subscriptions = translated.resourcesOfType("AWS::SNS::Subscription");
        assertThat(subscriptions).isNotEmpty();
        subscriptions.values().forEach(s -> assertThat(Template.at(s, "Properties", "Endpoint")).isEqualTo(alias));
        assertThat(permissionsFor("sns.amazonaws.com")).isNotEmpty().allSatisfy(f -> assertThat(f).isEqualTo(alias));
        var invokeConfigs = translated.resourcesOfType("AWS::Lambda::EventInvokeConfig");
        assertThat(invokeConfigs).hasSize(1);
        assertThat(Template.at(invokeConfigs.values().iterator().next(), "Properties", "Qualifier")).isEqualTo("live");
    }

    @Test
    void theApiInvokesTheCheckerAlias() {
        assertThat(permissionsFor("apigateway.amazonaws.com")).hasSize(2)
                .allSatisfy(f -> assertThat(f).isEqualTo(Map.of("Ref", "CheckerFunctionAliaslive")));
        Map<String, Object> paths = Template.map(Template.at(translated.properties("CheckerApi"), "Body", "paths"));
        assertThat(paths).containsKeys("/reconcile", "/health");
        paths.values().forEach(path -> Template.map(path).values().forEach(operation -> {
            Object uri = Template.at(operation, "x-amazon-apigateway-integration", "uri", "Fn::Sub");
            assertThat(String.valueOf(uri)).contains("${CheckerFunctionAliaslive}/invocations");
        }));
    }

    private static java.util.List<Object> permissionsFor(String principal) {
        return translated.resourcesOfType("AWS::Lambda::Permission").values().stream()
                .filter(p -> principal.equals(Template.at(p, "Properties", "Principal")))
                .map(p -> Template.at(p, "Properties", "FunctionName")).toList();
    }
}
