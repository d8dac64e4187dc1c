package io.streamwreck.adapter;

import io.streamwreck.local.standin.PostgresServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A test's own database on the stack's PostgreSQL, and what the adapter staged in it. */
final class StagedLines {

    private final String jdbcUrl;

    private StagedLines(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** Creates a fresh database {@code name} (dropping an old one). */
    static StagedLines create(PostgresServer postgres, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
            s.execute("create database " + name);
        }
        return new StagedLines(postgres.jdbcUrl().replace("/" + PostgresServer.DATABASE + "?", "/" + name + "?"));
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    long count(String where) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from adapter.lines where " + where)) {
            r.next();
            return r.getLong(1);
        }
    }

    long fileCount() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from adapter.files")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Every staged line's keys, by {@code <object key>:<line>}. */
    Map<String, List<String>> keysBySource() throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select f.object_key, l.line, l.keys from adapter.lines l join adapter.files f on f.id = l.file_id")) {
            while (r.next()) {
                out.put(r.getString(1) + ":" + r.getLong(2), new ArrayList<>(List.of((String[]) r.getArray(3).getArray())));
            }
        }
        return out;
    }

    /** By {@code <object key>:<line>}: whether a put of the line may have stored an unseen copy. */
    Map<String, Boolean> uncertainBySource() throws SQLException {
        Map<String, Boolean> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select f.object_key, l.line, l.claims > 1 or l.put_attempts > 1 from adapter.lines l join adapter.files f on f.id = l.file_id")) {
            while (r.next()) {
                out.put(r.getString(1) + ":" + r.getLong(2), r.getBoolean(3));
            }
        }
        return out;
    }

    /** File ids by object key. */
    Map<String, Long> fileIds() throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select object_key, id from adapter.files")) {
            while (r.next()) {
                out.put(r.getString(1), r.getLong(2));
            }
        }
        return out;
    }

    /** Lines whose claims or put attempts say an unseen copy may exist (a put whose outcome was unknown). */
    long uncertain() throws SQLException {
        return count("claims > 1 or put_attempts > 1");
    }
}
