package io.streamwreck.core.cli;

import picocli.CommandLine.TypeConversionException;

import java.util.function.UnaryOperator;

/**
 * A converter's refusal of an option value, worded the streamwreck way: the option named first, then what is
 * wrong ({@code --deadline: "soon" is not a duration…}, {@code --endpoint must be an http:// … URL}), rather than
 * picocli's {@code Invalid value for option '--deadline': …}. {@link CliConventions} words it so; without the
 * conventions it is an ordinary {@link TypeConversionException} and picocli's own wording applies.
 */
public final class OptionValueException extends TypeConversionException {

    private final transient UnaryOperator<String> wording;

    private OptionValueException(UnaryOperator<String> wording) {
        super(wording.apply("value"));
        this.wording = wording;
    }

    /** Words it as {@code <option>: <detail>}. */
    public static OptionValueException after(String detail) {
        return new OptionValueException(option -> option + ": " + detail);
    }

    /** Words it as {@code <option> <predicate>}, e.g. {@code must be positive}. */
    public static OptionValueException predicate(String predicate) {
        return new OptionValueException(option -> option + " " + predicate);
    }

    /** The message naming {@code option}. */
    public String messageFor(String option) {
        return wording.apply(option);
    }
}
