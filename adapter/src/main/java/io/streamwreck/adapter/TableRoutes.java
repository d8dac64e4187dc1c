package io.streamwreck.adapter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a table's lines go: the configured {@code table → stream} map, written {@code orders=orders,clicks=clickstream}
 * ({@code orders} alone means {@code orders=orders}).
 */
public final class TableRoutes {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final Map<String, String> streams;

    private TableRoutes(Map<String, String> streams) {
        this.streams = Collections.unmodifiableMap(streams);
    }

    /**
     * Parses the map.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code table=stream} with valid names
     */
    public static TableRoutes parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no table is configured (give table=stream pairs, e.g. orders=orders)");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            String table = (eq < 0 ? e : e.substring(0, eq)).strip();
            String stream = (eq < 0 ? e : e.substring(eq + 1)).strip();
            if (!NAME.matcher(table).matches() || !NAME.matcher(stream).matches()) {
                throw new IllegalArgumentException("\"" + e + "\" is not table=stream (names of 1-128 letters, digits, _ . -)");
            }
            if (map.put(table, stream) != null) {
                throw new IllegalArgumentException("table " + table + " is mapped twice");
            }
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("no table is configured (give table=stream pairs, e.g. orders=orders)");
        }
        return new TableRoutes(map);
    }

    public Optional<String> streamOf(String table) {
        return Optional.ofNullable(streams.get(table));
    }

    public Map<String, String> asMap() {
        return streams;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        streams.forEach((t, st) -> s.append(s.length() == 0 ? "" : ",").append(t).append('=').append(st));
        return s.toString();
    }
}
