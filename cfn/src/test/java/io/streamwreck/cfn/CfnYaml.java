package io.streamwreck.cfn;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads a CloudFormation template written in YAML into plain maps, lists and strings, turning the short-form
 * intrinsic functions ({@code !Ref x}, {@code !Sub "…"}, {@code !GetAtt a.b}, …) into their long form
 * ({@code {"Ref": "x"}}, {@code {"Fn::Sub": "…"}}, {@code {"Fn::GetAtt": ["a", "b"]}}), as CloudFormation does.
 * Without this, a plain YAML parser refuses the unknown tags.
 */
final class CfnYaml {

    private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs",
            "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or",
            "Length", "ToJsonString");

    private CfnYaml() {
    }

    static Map<String, Object> load(Path file) {
        try (Reader in = Files.newBufferedReader(file)) {
            Object root = new Yaml(new IntrinsicConstructor()).load(in);
            if (!(root instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(file + ": not a template (no top-level mapping)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> template = (Map<String, Object>) root;
            return template;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
            for (String f : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + f), new LongForm("Fn::" + f));
            }
        }

        private final class LongForm extends AbstractConstruct {
            private final String key;

            LongForm(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = scalar.getValue();
                    // !GetAtt Resource.Attribute is the only short form whose scalar splits into a list.
                    if (key.equals("Fn::GetAtt")) {
                        String s = scalar.getValue();
                        int dot = s.indexOf('.');
                        value = dot < 0 ? List.of(s) : Arrays.asList(s.substring(0, dot), s.substring(dot + 1));
                    }
                } else if (node instanceof SequenceNode seq) {
                    value = constructSequence(seq);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(key, value);
            }
        }
    }
}
