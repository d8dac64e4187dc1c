package io.streamwreck.core.cli;

import picocli.CommandLine.ITypeConverter;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An {@code http://} or {@code https://} URL with a host (an endpoint override). Anything else is a usage error:
 * {@code --endpoint must be an http:// or https:// URL, was "ftp://x"}.
 */
public final class HttpUrlConverter implements ITypeConverter<URI> {

    @Override
    public URI convert(String value) {
        try {
            URI uri = new URI(value.trim());
            if (isHttpUrl(uri)) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // worded below
        }
        throw OptionValueException.predicate("must be an http:// or https:// URL, was \"" + value + "\"");
    }

    /** Whether {@code uri} is http or https and names a host. */
    public static boolean isHttpUrl(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    }
}
