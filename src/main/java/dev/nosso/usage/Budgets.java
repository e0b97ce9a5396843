package dev.nosso.usage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.Problems;
import dev.nosso.platform.cluster.ClusterEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

/**
 * Token budgets: a user's own, or else the default for everyone, per UTC day or month; 0 is unlimited. A turn
 * is refused (429 {@code token-budget-spent}, with {@code Retry-After} until the period ends) once the user's
 * prompt and completion tokens in the period reach the budget. The answer that crosses the line is finished,
 * not cut: a budget stops the next turn.
 *
 * <p>{@link #check} is on every turn's path, so it reads no table while no budget applies: the budgets are kept
 * in memory and read again after an administrator changes them on any node (a cluster event). When one applies,
 * the user's spending comes from a cache that this node's answers add to as they end, and that is read again
 * from the roll-up after {@code spentCache}, for the answers of other nodes.
 */
@Service
public class Budgets {

    private static final String CHANGED = "budgets-changed";

    /** The budgets in force: the default, and the users who have their own. */
    private record InForce(Budget defaults, Map<UUID, Budget> own) {

        Budget of(UUID user) {
            return own.getOrDefault(user, defaults);
        }
    }

    /** What a user spent from the first day of a period on, as last read and added to since. */
    private record Spent(int fromDay, long tokens) {
    }

    /**
     * A user's budget as the user sees it in Settings.
     *
     * @param tokens    0 when unlimited
     * @param spent     tokens spent in the current period
     * @param remaining null when unlimited
     * @param resetsAt  when the current period ends (UTC)
     * @param own       whether it is the user's own budget rather than the default
     */
    public record Allowance(long tokens, Period period, long spent, Long remaining, Instant resetsAt, boolean own) {
    }

    private final BudgetRepository repository;
    private final BudgetSettings settings;
    private final ClusterEvents events;
    private final Clock clock;
    private final Cache<UUID, Spent> spent;
    private volatile InForce inForce;

    Budgets(BudgetRepository repository, BudgetSettings settings, ClusterEvents events, Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
        this.spent = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(settings.spentCache()).build();
        events.subscribe(CHANGED, payload -> inForce = null);
    }

    /**
     * Throws 429 {@code token-budget-spent} when the user's budget for the current period is spent. Reads nothing
     * from the database while no budget applies to the user (once the budgets are in memory).
     */
    public void check(UUID user) {
        Budget budget = inForce().of(user);
        if (!budget.limited()) {
            return;
        }
        LocalDate today = today();
        int fromDay = epochDay(budget.period().start(today));
        Spent known = spent.getIfPresent(user);
        if (known == null || known.fromDay() != fromDay) {
            known = new Spent(fromDay, repository.spentSince(user, fromDay));
            spent.put(user, known);
        }
        if (known.tokens() >= budget.tokens()) {
            throw refused(budget, known.tokens(), today);
        }
    }

    /** What the user may still spend, read from the roll-up (not the cache): what Settings shows. */
    public Allowance allowance(UUID user) {
        InForce current = inForce();
        Budget budget = current.of(user);
        LocalDate today = today();
        long used = repository.spentSince(user, epochDay(budget.period().start(today)));
        return new Allowance(budget.tokens(), budget.period(), used,
                budget.limited() ? Math.max(0, budget.tokens() - used) : null,
                Instant.ofEpochMilli(Period.epochMillis(budget.period().next(today))), current.own().containsKey(user));
    }

    /** The default for every user without a budget of their own. */
    public Budget defaults() {
        return inForce().defaults();
    }

    List<BudgetRepository.Own> own() {
        return repository.ownWithNames();
    }

    @Transactional
    public Budget changeDefaults(Budget budget) {
        repository.putDefaults(budget, clock.instant());
        changed();
        return budget;
    }

    /** Gives a user a budget of their own (0 tokens: unlimited, whatever the default); 404 for no such user. */
    @Transactional
    public Budget setOwn(UUID user, Budget budget) {
        if (!repository.put(user, budget, clock.instant())) {
            throw new NotFound("user");
        }
        changed();
        return budget;
    }

    /** Puts a user back on the default; 404 for no such user. */
    @Transactional
    public void removeOwn(UUID user) {
        if (!repository.remove(user)) {
            throw new NotFound("user");
        }
        changed();
    }

    /** Adds tokens that this node's answer just spent to the cached spending, if it is cached. */
    void spent(UUID user, int day, long tokens) {
        if (tokens > 0) {
            spent.asMap().computeIfPresent(user, (k, s) -> day >= s.fromDay() ? new Spent(s.fromDay(), s.tokens() + tokens) : s);
        }
    }

    private void changed() {
        events.publish(CHANGED, "");
        inForce = null;
    }

    private InForce inForce() {
        InForce current = inForce;
        if (current == null) {
            current = new InForce(repository.defaults(settings.defaults()), Map.copyOf(repository.own()));
            inForce = current;
        }
        return current;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static int epochDay(LocalDate day) {
        return (int) day.toEpochDay();
    }

    private ErrorResponseException refused(Budget budget, long used, LocalDate today) {
        Instant resets = Instant.ofEpochMilli(Period.epochMillis(budget.period().next(today)));
        Duration wait = Duration.between(clock.instant(), resets);
        long seconds = Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
        String period = budget.period() == Period.DAY ? "today" : "this month";
        ErrorResponseException e = Problems.exception(HttpStatus.TOO_MANY_REQUESTS, "token-budget-spent",
                "You have used " + used + " of your " + budget.tokens() + " tokens for " + period
                        + "; your budget resets at " + resets + " (UTC).");
        e.getBody().setTitle("Token budget spent");
        e.getBody().setProperty("budgetTokens", budget.tokens());
        e.getBody().setProperty("spentTokens", used);
        e.getBody().setProperty("period", budget.period().wire());
        e.getBody().setProperty("resetsAt", resets.toString());
        e.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return e;
    }
}
