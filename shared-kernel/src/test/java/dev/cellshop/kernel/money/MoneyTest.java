package dev.cellshop.kernel.money;

import dev.cellshop.kernel.json.Json;
import org.junit.jupiter.api.Test;

import java.util.Currency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoneyTest {

    private static final Currency EUR = Currency.getInstance("EUR");
    private static final Currency JPY = Currency.getInstance("JPY");

    @Test
    void money_adds_amounts_of_the_same_currency() {
        assertThat(Money.price(1999, "EUR").plus(Money.price(1, "EUR"))).isEqualTo(Money.of(2000, EUR));
    }

    @Test
    void money_refuses_to_add_different_currencies() {
        assertThatThrownBy(() -> Money.price(100, "EUR").plus(Money.price(100, "USD")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EUR").hasMessageContaining("USD");
    }

    @Test
    void money_multiplies_by_a_quantity() {
        assertThat(Money.price(1999, "EUR").times(3)).isEqualTo(Money.of(5997, EUR));
        assertThat(Money.price(1999, "EUR").times(0)).isEqualTo(Money.zero(EUR));
    }

    @Test
    void money_overflow_is_an_error_not_a_wrap() {
        Money huge = Money.of(Long.MAX_VALUE / 2 + 1, EUR);
        assertThatThrownBy(() -> huge.plus(huge)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> huge.times(2)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void price_refuses_negative_amounts_and_unknown_currencies() {
        assertThatThrownBy(() -> Money.price(-1, "EUR")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> Money.price(1, "EUX")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'EUX'");
        assertThatThrownBy(() -> Money.price(1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Money.price(0, "EUR").amountMinor()).isZero();
    }

    @Test
    void money_refuses_currencies_without_a_minor_unit() {
        assertThatThrownBy(() -> Money.price(1, "XAU")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("XAU");
    }

    @Test
    void money_json_is_amount_in_minor_units_and_currency_code() {
        String json = Json.write(Money.price(1999, "EUR"));
        assertThat(json).isEqualTo("{\"amount\":1999,\"currency\":\"EUR\"}");
        assertThat(Json.read(json, Money.class)).isEqualTo(Money.price(1999, "EUR"));
    }

    @Test
    void money_json_refuses_missing_members_and_unknown_currencies() {
        assertThatThrownBy(() -> Json.read("{\"currency\":\"EUR\"}", Money.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount");
        assertThatThrownBy(() -> Json.read("{\"amount\":1}", Money.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.read("{\"amount\":1,\"currency\":\"ZZZ\"}", Money.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ZZZ'");
        assertThatThrownBy(() -> Json.read("{\"amount\":19.99,\"currency\":\"EUR\"}", Money.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parse_decimal_reads_whole_and_fractional_amounts_exactly() {
        assertThat(Money.parseDecimal("19.99", "EUR")).isEqualTo(Money.of(1999, EUR));
        assertThat(Money.parseDecimal("0.1", "EUR")).isEqualTo(Money.of(10, EUR));
        assertThat(Money.parseDecimal("19.990", "EUR")).isEqualTo(Money.of(1999, EUR));
        assertThat(Money.parseDecimal("20", "EUR")).isEqualTo(Money.of(2000, EUR));
        assertThat(Money.parseDecimal("500", "JPY")).isEqualTo(Money.of(500, JPY));
        assertThat(Money.parseDecimal("1.234", "KWD").amountMinor()).isEqualTo(1234);
    }

    @Test
    void parse_decimal_refuses_fractions_finer_than_the_minor_unit() {
        assertThatThrownBy(() -> Money.parseDecimal("19.999", "EUR"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'19.999'").hasMessageContaining("2 decimal places");
        assertThatThrownBy(() -> Money.parseDecimal("5.5", "JPY"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'5.5'").hasMessageContaining("JPY");
    }

    @Test
    void parse_decimal_refuses_what_is_not_a_plain_decimal() {
        for (String bad : new String[] {"", "abc", "1e3", "1,50", ".5", "5.", " 5", "99999999999999999999"}) {
            assertThatThrownBy(() -> Money.parseDecimal(bad, "EUR"))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void money_prints_in_major_units_for_people() {
        assertThat(Money.price(1999, "EUR")).hasToString("19.99 EUR");
        assertThat(Money.price(5, "EUR")).hasToString("0.05 EUR");
        assertThat(Money.of(-5, EUR)).hasToString("-0.05 EUR");
        assertThat(Money.price(500, "JPY")).hasToString("500 JPY");
    }
}
