package io.employeemgmt.platform;

import java.beans.PropertyEditorSupport;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Path variables and query parameters are parsed exactly as the OpenAPI document describes them. Spring's default
 * conversions are lenient in ways a client cannot see in the schema: numbers may be hexadecimal ({@code 0x10}),
 * signed or written in non-ASCII digits, enum names are trimmed (so a trailing space or NUL passes), and dates may
 * have any year that {@link LocalDate} can hold. Here a whole number is plain ASCII digits, an enum value is exactly
 * one of its names, and a date is {@code yyyy-MM-dd} with a four-digit year.
 *
 * <p>Numbers are parsed by property editors registered on every binder: when a conversion-service converter rejects
 * a value, Spring's binder falls back to its default editors (which decode hexadecimal and trim enum names), so
 * only an editor actually decides. Enum values with surrounding whitespace or control characters never get here:
 * {@link RequestChecks} refuses such parameter values.
 */
@Configuration(proxyBeanMethods = false)
@ControllerAdvice
class StrictParsing implements WebMvcConfigurer {

    @InitBinder
    void strictNumbers(WebDataBinder binder) {
        binder.registerCustomEditor(long.class, new DigitsEditor(false, false));
        binder.registerCustomEditor(Long.class, new DigitsEditor(false, true));
        binder.registerCustomEditor(int.class, new DigitsEditor(true, false));
        binder.registerCustomEditor(Integer.class, new DigitsEditor(true, true));
    }

    /** Plain ASCII digits only; empty means absent for the boxed types. */
    private static final class DigitsEditor extends PropertyEditorSupport {

        private final boolean integer;
        private final boolean nullable;

        DigitsEditor(boolean integer, boolean nullable) {
            this.integer = integer;
            this.nullable = nullable;
        }

        @Override
        public void setAsText(String text) {
            if (text == null || text.isEmpty()) {
                if (!nullable) {
                    throw new IllegalArgumentException("a whole number is required");
                }
                setValue(null);
                return;
            }
            long value = digits(text);
            // Not one conditional expression: with an Integer and a Long operand it would widen the Integer to a Long.
            if (integer) {
                setValue(Math.toIntExact(value));
            } else {
                setValue(value);
            }
        }
    }

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final DateTimeFormatter ISO_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String.class, LocalDate.class, source -> blankOr(source, () -> date(source)));
        registry.addConverterFactory(new ExactEnums());
    }

    static long digits(String source) {
        if (!DIGITS.matcher(source).matches()) {
            throw new IllegalArgumentException("not a whole number in plain digits");
        }
        return Long.parseLong(source);
    }

    static LocalDate date(String source) {
        if (!DATE.matcher(source).matches()) {
            throw new IllegalArgumentException("not a date in the form yyyy-MM-dd");
        }
        try {
            return LocalDate.parse(source, ISO_DATE);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a valid calendar date", e);
        }
    }

    private static <T> T blankOr(String source, java.util.function.Supplier<T> parse) {
        return source.isEmpty() ? null : parse.get();
    }

    /** Exactly one of the constant names: no trimming, no case folding, no ordinal numbers. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class ExactEnums implements ConverterFactory<String, Enum> {

        @Override
        public <T extends Enum> Converter<String, T> getConverter(Class<T> targetType) {
            Class<?> enumType = targetType;
            while (enumType != null && !enumType.isEnum()) {
                enumType = enumType.getSuperclass();
            }
            Class<? extends Enum> type = (Class<? extends Enum>) enumType;
            return source -> source.isEmpty() ? null : (T) Enum.valueOf(type, source);
        }
    }
}
