package io.streamwreck.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A Lua script shipped as a resource, with the SHA-1 digest EVALSHA refers to it by. */
record LuaScript(byte[] source, String sha1) {

    static LuaScript load(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            byte[] source = in.readAllBytes();
            return new LuaScript(source, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return new String(source, StandardCharsets.UTF_8);
    }
}
