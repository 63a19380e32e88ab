package dev.cellshop.control.shops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellshop.kernel.problem.ProblemException;
import org.junit.jupiter.api.Test;

class NewShopTest {

    @Test
    void the_domain_gets_its_one_spelling_and_the_currency_defaults_to_eur() {
        NewShop shop = new NewShop("Tea", "Tea.Example.COM", null, null);

        assertThat(shop.domain()).isEqualTo("tea.example.com");
        assertThat(shop.currency()).isEqualTo("EUR");
    }

    @Test
    void a_missing_name_a_bad_domain_or_a_bad_currency_is_a_422_that_says_which() {
        assertThatThrownBy(() -> new NewShop(" ", "tea.example", null, null)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().status()).isEqualTo(422)).hasMessageContaining("name is required");
        assertThatThrownBy(() -> new NewShop("Tea", "tea_shop.example", null, null)).hasMessageContaining("Invalid domain");
        assertThatThrownBy(() -> new NewShop("Tea", null, null, null)).hasMessageContaining("Missing domain");
        assertThatThrownBy(() -> new NewShop("Tea", "tea.example", "euro", null)).hasMessageContaining("currency 'euro'");
    }
}
