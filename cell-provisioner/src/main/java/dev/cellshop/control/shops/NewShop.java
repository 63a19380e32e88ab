package dev.cellshop.control.shops;

import dev.cellshop.kernel.id.CellId;
import dev.cellshop.kernel.problem.Problem;
import dev.cellshop.kernel.problem.ProblemException;
import dev.cellshop.kernel.topology.TopologyPaths;
import java.util.regex.Pattern;

/**
 * A shop to create, validated: a name, a domain (normalised to its one spelling), a
 * currency, and optionally the cell it must go to (else the placer chooses).
 */
public record NewShop(String name, String domain, String currency, CellId cell) {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public NewShop {
        if (name == null || name.isBlank()) {
            throw invalid("name is required");
        }
        if (name.length() > 200) {
            throw invalid("name is longer than 200 characters");
        }
        try {
            domain = TopologyPaths.normalizeDomain(domain);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        if (currency == null) {
            currency = "EUR";
        }
        if (!CURRENCY.matcher(currency).matches()) {
            throw invalid("currency '" + currency + "' is not an ISO 4217 code like EUR");
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.unprocessable(detail));
    }
}
