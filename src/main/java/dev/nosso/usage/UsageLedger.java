package dev.nosso.usage;

import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Adds an answer's figures to the day's roll-up of its owner and model ({@code usage_days}) and of its model
 * ({@code usage_model_days}), the writes behind the Usage page and the budgets. It joins the caller's transaction on purpose: for a stored answer that
 * is the one that ends it, so the roll-up holds an answer exactly when the answer's end is stored.
 */
@Component
public class UsageLedger {

    private static final long DAY_MILLIS = 86_400_000L;

    private static final String ADD = """
            INSERT INTO usage_days (day, user_id, model, answers, prompt_tokens, completion_tokens, first_token_ms,
                                    first_tokens, tokens_per_second, speeds)
            VALUES (:day, :owner, :model, 1, :prompt, :completion, :firstTokenMs, :firstTokens, :speed, :speeds)
            ON CONFLICT (day, user_id, model) DO UPDATE SET
                answers = usage_days.answers + 1,
                prompt_tokens = usage_days.prompt_tokens + excluded.prompt_tokens,
                completion_tokens = usage_days.completion_tokens + excluded.completion_tokens,
                first_token_ms = usage_days.first_token_ms + excluded.first_token_ms,
                first_tokens = usage_days.first_tokens + excluded.first_tokens,
                tokens_per_second = usage_days.tokens_per_second + excluded.tokens_per_second,
                speeds = usage_days.speeds + excluded.speeds
            """;

    private static final String ADD_TO_MODEL = """
            INSERT INTO usage_model_days (day, model, answers, prompt_tokens, completion_tokens, first_token_ms,
                                          first_tokens, tokens_per_second, speeds)
            VALUES (:day, :model, 1, :prompt, :completion, :firstTokenMs, :firstTokens, :speed, :speeds)
            ON CONFLICT (day, model) DO UPDATE SET
                answers = usage_model_days.answers + 1,
                prompt_tokens = usage_model_days.prompt_tokens + excluded.prompt_tokens,
                completion_tokens = usage_model_days.completion_tokens + excluded.completion_tokens,
                first_token_ms = usage_model_days.first_token_ms + excluded.first_token_ms,
                first_tokens = usage_model_days.first_tokens + excluded.first_tokens,
                tokens_per_second = usage_model_days.tokens_per_second + excluded.tokens_per_second,
                speeds = usage_model_days.speeds + excluded.speeds
            """;

    private final JdbcClient jdbc;
    private final Budgets budgets;

    UsageLedger(JdbcClient jdbc, Budgets budgets) {
        this.jdbc = jdbc;
        this.budgets = budgets;
    }

    /**
     * Counts one ended answer, whatever its status.
     *
     * @param startedAt        when the answer was started: its day (UTC) is the one it counts on
     * @param promptTokens     null counts as 0
     * @param completionTokens null counts as 0
     * @param firstTokenMs     null when no text came
     * @param tokensPerSecond  null when there was no speed to measure
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void add(UUID owner, String model, Instant startedAt, Integer promptTokens, Integer completionTokens,
                    Long firstTokenMs, Double tokensPerSecond) {
        long prompt = promptTokens == null ? 0 : promptTokens;
        long completion = completionTokens == null ? 0 : completionTokens;
        int day = (int) Math.floorDiv(startedAt.toEpochMilli(), DAY_MILLIS);
        for (String statement : new String[] {ADD, ADD_TO_MODEL}) {
            jdbc.sql(statement).param("day", day).param("owner", owner).param("model", model == null ? "" : model)
                    .param("prompt", prompt).param("completion", completion)
                    .param("firstTokenMs", firstTokenMs == null ? 0L : firstTokenMs)
                    .param("firstTokens", firstTokenMs == null ? 0 : 1)
                    .param("speed", tokensPerSecond == null ? 0.0 : tokensPerSecond)
                    .param("speeds", tokensPerSecond == null ? 0 : 1)
                    .update();
        }
        budgets.spent(owner, day, prompt + completion);
    }
}
