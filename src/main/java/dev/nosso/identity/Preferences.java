package dev.nosso.identity;

import dev.nosso.platform.Limits;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Texts;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A user's own preferences, such as the system prompt every chat starts from unless it sets its own. */
@Service
public class Preferences {

    private static final String FIND = "SELECT system_prompt FROM user_preferences WHERE user_id = :user";

    private static final String PUT = """
            INSERT INTO user_preferences (user_id, system_prompt, updated_at) VALUES (:user, :systemPrompt, :now)
            ON CONFLICT (user_id) DO UPDATE SET system_prompt = excluded.system_prompt, updated_at = excluded.updated_at
            """;

    private final JdbcClient jdbc;
    private final Limits limits;
    private final Clock clock;

    Preferences(JdbcClient jdbc, Limits limits, Clock clock) {
        this.jdbc = jdbc;
        this.limits = limits;
        this.clock = clock;
    }

    /** The user's preferences; every field null until set. */
    @Transactional(readOnly = true)
    public UserPreferences of(UUID user) {
        Optional<String> prompt = jdbc.sql(FIND).param("user", user)
                .query((rs, row) -> Optional.ofNullable(rs.getString(1))).optional().flatMap(p -> p);
        return new UserPreferences(prompt.orElse(null));
    }

    @Transactional
    public UserPreferences update(UUID user, UserPreferences changes) {
        String prompt = Texts.storable("systemPrompt", changes.systemPrompt());
        if (prompt != null && prompt.length() > limits.maxMessageChars()) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation",
                    "systemPrompt is longer than " + limits.maxMessageChars() + " characters.");
        }
        jdbc.sql(PUT).param("user", user).param("systemPrompt", prompt == null || prompt.isBlank() ? null : prompt)
                .param("now", clock.instant().toEpochMilli()).update();
        return of(user);
    }

    /** @param systemPrompt null or blank: none */
    public record UserPreferences(String systemPrompt) {
    }
}
