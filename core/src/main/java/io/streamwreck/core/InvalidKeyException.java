package io.streamwreck.core;

/**
 * A record key, shard id or sequence number that does not follow DESIGN.md "Record keys".
 * The message always quotes the offending input and says what is wrong with it.
 */
public class InvalidKeyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;

    public InvalidKeyException(String input, String reason) {
        super(describe(input) + ": " + reason);
        this.input = input;
    }

    /** The rejected input, as given (may be null). */
    public String input() {
        return input;
    }

    /** Quotes client input for an error message: control characters and whitespace escaped, very long input cut short. */
    public static String describe(String input) {
        if (input == null) {
            return "null";
        }
        int max = 160;
        StringBuilder out = new StringBuilder("\"");
        // Cut by the length of the quoted text, not of the input: escaped characters take six characters each.
        int i = 0;
        for (; i < input.length() && out.length() <= max; i++) {
            char c = input.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.isWhitespace(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
        if (i < input.length()) {
            out.append("… (").append(input.length()).append(" characters)");
        }
        return out.toString();
    }
}
