package io.streamwreck.cfn;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One template, read by {@link CfnYaml}, with the look-ups the tests share. */
final class Template {

    private final Path file;
    private final Map<String, Object> root;

    private Template(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    static Template load(Path file) {
        return new Template(file, CfnYaml.load(file));
    }

    Path file() {
        return file;
    }

    Map<String, Object> root() {
        return root;
    }

    Map<String, Object> section(String name) {
        return map(root.getOrDefault(name, Map.of()));
    }

    Map<String, Object> resources() {
        return section("Resources");
    }

    /** Logical id → resource, for every resource of this type. */
    Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources().forEach((id, r) -> {
            if (type.equals(map(r).get("Type"))) {
                found.put(id, map(r));
            }
        });
        return found;
    }

    Map<String, Object> properties(String logicalId) {
        Object r = resources().get(logicalId);
        if (r == null) {
            throw new AssertionError(file.getFileName() + " has no resource " + logicalId);
        }
        return map(map(r).getOrDefault("Properties", Map.of()));
    }

    /** A parameter's default value, as text. */
    Optional<String> parameterDefault(String name) {
        Object p = section("Parameters").get(name);
        return p == null ? Optional.empty() : Optional.ofNullable(map(p).get("Default")).map(String::valueOf);
    }

    /** The SAM Globals section's Function part (empty when absent). */
    Map<String, Object> functionGlobals() {
        return map(section("Globals").getOrDefault("Function", Map.of()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new AssertionError("expected a mapping, found " + o);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        return List.of(o);
    }

    /** Follows a path of mapping keys; null when any step is missing. */
    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }
}
