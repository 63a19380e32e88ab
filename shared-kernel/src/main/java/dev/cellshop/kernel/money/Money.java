package dev.cellshop.kernel.money;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An amount of money in the currency's minor unit (cents for EUR, yen for JPY), stored as
 * {@code BIGINT} beside a currency code.
 *
 * <p>Integer arithmetic only: a binary floating point value cannot hold 0.10 exactly, and
 * an order total must equal the sum of its lines to the cent. Overflow is an error
 * ({@link ArithmeticException}), never a silent wrap into a negative price.
 */
public record Money(@JsonProperty("amount") long amountMinor, Currency currency) {

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (currency.getDefaultFractionDigits() < 0) {
            // XAU, XXX and friends have no minor unit, so "amount in minor units" means nothing
            throw new IllegalArgumentException("Currency " + currency.getCurrencyCode() + " has no minor unit");
        }
    }

    public static Money of(long amountMinor, Currency currency) {
        return new Money(amountMinor, currency);
    }

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    /** A price: zero or more minor units of a known ISO 4217 currency. */
    public static Money price(long amountMinor, String currencyCode) {
        if (amountMinor < 0) {
            throw new IllegalArgumentException("Price must not be negative, got " + amountMinor + " " + currencyCode);
        }
        return new Money(amountMinor, currency(currencyCode));
    }

    /**
     * Parses a decimal amount such as {@code "19.99"} typed by a person. A fraction finer than
     * the currency's minor unit ("19.999" EUR, "5.5" JPY) is refused, not rounded: rounding
     * would silently change a price the merchant entered.
     */
    public static Money parseDecimal(String amount, String currencyCode) {
        Currency currency = currency(currencyCode);
        if (amount == null || !DECIMAL.matcher(amount).matches()) {
            throw new IllegalArgumentException("Invalid amount '" + amount + "': expected digits with an optional '.' fraction, e.g. 19.99");
        }
        int digits = currency.getDefaultFractionDigits();
        BigDecimal decimal = new BigDecimal(amount);
        if (decimal.stripTrailingZeros().scale() > digits) {
            throw new IllegalArgumentException("Invalid amount '" + amount + "': " + currency.getCurrencyCode()
                    + " has " + digits + " decimal place" + (digits == 1 ? "" : "s") + ", finer fractions are not allowed");
        }
        try {
            return new Money(decimal.movePointRight(digits).longValueExact(), currency);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Invalid amount '" + amount + "': too large", e);
        }
    }

    @JsonCreator
    static Money fromJson(@JsonProperty(value = "amount", required = true) long amount,
                          @JsonProperty(value = "currency", required = true) String currencyCode) {
        return new Money(amount, currency(currencyCode));
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(amountMinor, other.amountMinor), currency);
    }

    public Money times(int quantity) {
        return new Money(Math.multiplyExact(amountMinor, (long) quantity), currency);
    }

    /** E.g. {@code "19.99 EUR"}, {@code "500 JPY"}: for logs and messages, not for arithmetic. */
    @Override
    public String toString() {
        int digits = currency.getDefaultFractionDigits();
        String magnitude = amountMinor == Long.MIN_VALUE
                ? "9223372036854775808" : Long.toString(Math.abs(amountMinor));
        String text = magnitude;
        if (digits > 0) {
            String padded = "0".repeat(Math.max(0, digits + 1 - magnitude.length())) + magnitude;
            int point = padded.length() - digits;
            text = padded.substring(0, point) + "." + padded.substring(point);
        }
        return (amountMinor < 0 ? "-" : "") + text + " " + currency.getCurrencyCode();
    }

    private void requireSameCurrency(Money other) {
        Objects.requireNonNull(other, "other");
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("Cannot combine " + currency.getCurrencyCode()
                    + " with " + other.currency.getCurrencyCode() + ": " + this + " and " + other);
        }
    }

    private static Currency currency(String code) {
        if (code == null) {
            throw new IllegalArgumentException("Missing currency code");
        }
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown currency '" + code + "': expected an ISO 4217 code such as EUR", e);
        }
    }
}
