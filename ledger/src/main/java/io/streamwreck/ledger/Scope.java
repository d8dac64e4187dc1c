package io.streamwreck.ledger;

/**
 * What the ledger keeps records for: one consumer application of one stream (DESIGN.md "Record keys").
 * Two applications reading the same stream are reconciled separately.
 */
public record Scope(String stream, String app) {

    public Scope {
        requireName(stream, "stream");
        requireName(app, "application");
    }

    private static void requireName(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " name is required");
        }
        if (value.length() > 256) {
            throw new IllegalArgumentException("the " + what + " name is longer than 256 characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException("the " + what + " name \"" + value.replaceAll("\\p{Cntrl}", "?")
                        + "\" contains a control character at position " + (i + 1));
            }
        }
    }

    @Override
    public String toString() {
        return stream + "/" + app;
    }
}
