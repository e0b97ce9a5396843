package dev.nosso.usage;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The budget of every user who has none of their own, until an administrator changes it
 * ({@code PUT /api/v1/admin/budgets/default}).
 *
 * @param defaultTokens tokens per period; 0 (the default) is unlimited ({@code NOSSO_BUDGET_DEFAULT_TOKENS})
 * @param defaultPeriod {@code day} or {@code month} ({@code NOSSO_BUDGET_DEFAULT_PERIOD})
 * @param spentCache    how long a user's spending read from the database is trusted before it is read again;
 *                      this node adds its own answers at once, so this bounds only what other nodes' answers
 *                      may overshoot by ({@code NOSSO_BUDGET_SPENT_CACHE})
 */
@ConfigurationProperties("nosso.budgets")
@Validated
record BudgetSettings(@PositiveOrZero long defaultTokens, @NotNull String defaultPeriod, @NotNull Duration spentCache) {

    BudgetSettings {
        if (Period.fromWire(defaultPeriod) == null) {
            throw new IllegalArgumentException("nosso.budgets.default-period must be day or month, not " + defaultPeriod);
        }
    }

    Budget defaults() {
        return new Budget(defaultTokens, Period.fromWire(defaultPeriod));
    }
}
