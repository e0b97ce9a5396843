package dev.nosso.usage;

import dev.nosso.identity.Caller;
import dev.nosso.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Token budgets: the administrator sets the default and each user's own (under /api/v1/admin, which the URL
 * rules keep to administrators); every user reads what is left of theirs.
 */
@RestController
@Tag(name = "Usage")
class BudgetController {

    private final Budgets budgets;

    BudgetController(Budgets budgets) {
        this.budgets = budgets;
    }

    /** A budget as sent: tokens per period, 0 for unlimited. */
    record BudgetInput(Long tokens, String period) {

        Budget budget() {
            if (tokens == null || tokens < 0) {
                throw Problems.exception(HttpStatus.BAD_REQUEST, "validation",
                        "tokens: must be 0 (unlimited) or more.");
            }
            Period parsed = period == null ? Period.MONTH : Period.fromWire(period);
            if (parsed == null) {
                throw Problems.exception(HttpStatus.BAD_REQUEST, "validation", "period: must be day or month.");
            }
            return new Budget(tokens, parsed);
        }
    }

    record BudgetList(Budget defaults, List<BudgetRepository.Own> users) {
    }

    @GetMapping("/api/v1/budget")
    @Operation(summary = "Your token budget: tokens per period (0: unlimited), spent and left in the current "
            + "period, and when it resets (UTC)")
    Budgets.Allowance mine(@AuthenticationPrincipal Caller caller) {
        return budgets.allowance(caller.userId());
    }

    @GetMapping("/api/v1/admin/budgets")
    @Operation(summary = "The default token budget and the users who have their own")
    BudgetList list() {
        return new BudgetList(budgets.defaults(), budgets.own());
    }

    @PutMapping("/api/v1/admin/budgets/default")
    @Operation(summary = "The token budget of every user without one of their own: tokens per day or month "
            + "(0: unlimited)")
    Budget changeDefaults(@RequestBody BudgetInput body) {
        return budgets.changeDefaults(body.budget());
    }

    @GetMapping("/api/v1/admin/budgets/users/{userId}")
    @Operation(summary = "A user's budget as they see it")
    Budgets.Allowance ofUser(@PathVariable UUID userId) {
        return budgets.allowance(userId);
    }

    @PutMapping("/api/v1/admin/budgets/users/{userId}")
    @Operation(summary = "Give a user a token budget of their own (0 tokens: unlimited, whatever the default)")
    Budget setOwn(@PathVariable UUID userId, @RequestBody BudgetInput body) {
        return budgets.setOwn(userId, body.budget());
    }

    @DeleteMapping("/api/v1/admin/budgets/users/{userId}")
    @Operation(summary = "Put a user back on the default budget")
    ResponseEntity<Void> removeOwn(@PathVariable UUID userId) {
        budgets.removeOwn(userId);
        return ResponseEntity.noContent().build();
    }
}
