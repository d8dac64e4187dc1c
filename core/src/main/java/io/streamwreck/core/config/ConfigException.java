package io.streamwreck.core.config;

/** A configuration value that is missing or malformed; the message names the variable and the value. */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
