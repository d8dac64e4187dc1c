package io.streamwreck.cfn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code Fn::ImportValue} of template.yaml names an export of vpc.yaml when both stacks carry the names
 * make deploy gives them (the seed's README named stacks its templates did not import).
 */
class ImportsTest {

    @Test
    void everyImportIsAnExportOfTheVpcStack() {
        Template app = Repo.template();
        String vpcStack = app.parameterDefault("VpcStackName").orElseThrow();
        assertThat(DeployPlanTest.defaultPlan()).as("make deploy passes the same network stack name")
                .contains("--stack-name " + vpcStack + " --template-file cfn/vpc.yaml")
                .contains("VpcStackName=" + vpcStack);

        Set<String> exports = new TreeSet<>();
        Template.map(Repo.vpc().section("Outputs")).values().forEach(o -> {
            Object name = Template.at(o, "Export", "Name");
            exports.add(substitute(name, Map.of("AWS::StackName", vpcStack)));
        });

        List<String> imports = new ArrayList<>();
        collectImports(app.root(), imports);
        assertThat(imports).isNotEmpty();
        Set<String> resolved = new TreeSet<>();
        for (String i : imports) {
            resolved.add(substitute(Map.of("Fn::Sub", i), Map.of("VpcStackName", vpcStack)));
        }
        assertThat(exports).containsAll(resolved);
        assertThat(resolved).as("every export is used").containsAll(exports);
    }

    /** Finds the {@code Fn::Sub} strings inside every {@code Fn::ImportValue}. */
    private static void collectImports(Object node, List<String> into) {
        if (node instanceof Map<?, ?> m) {
            Object imported = m.get("Fn::ImportValue");
            if (imported != null) {
                Object sub = Template.at(imported, "Fn::Sub");
                assertThat(sub).as("ImportValue %s: expected !Sub \"${VpcStackName}-…\"", imported).isInstanceOf(String.class);
                into.add((String) sub);
            }
            m.values().forEach(v -> collectImports(v, into));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectImports(v, into));
        }
    }

    private static String substitute(Object name, Map<String, String> values) {
        String text = (String) Template.map(name).get("Fn::Sub");
        for (var e : values.entrySet()) {
            text = text.replace("${" + e.getKey() + "}", e.getValue());
        }
        assertThat(text).as("unresolved variable in %s", name).doesNotContain("${");
        return text;
    }
}
