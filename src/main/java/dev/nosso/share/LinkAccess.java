package dev.nosso.share;

import dev.nosso.platform.Problems;
import java.time.Clock;
import java.util.Arrays;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who may open a shared link, as the administrator chose: anyone who has it, or only people signed in to this
 * server. Kept in the instance-wide {@code settings} table under its own name; signed-in only until an
 * administrator says otherwise, so that nothing becomes public without someone deciding it.
 */
@Service
class LinkAccess {

    static final String SETTING = "share.links";

    /** The two choices, as the API spells them. */
    enum Who {
        ANYONE("anyone"), SIGNED_IN("signed-in");

        private final String wire;

        Who(String wire) {
            this.wire = wire;
        }

        String wire() {
            return wire;
        }

        static Who fromWire(String value) {
            return Arrays.stream(values()).filter(w -> w.wire.equals(value)).findFirst()
                    .orElseThrow(() -> Problems.exception(HttpStatus.BAD_REQUEST, "validation",
                            "links must be \"anyone\" or \"signed-in\"."));
        }
    }

    private static final String PUT = """
            INSERT INTO settings (name, value, updated_at) VALUES (:name, :value, :now)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """;

    private final JdbcClient jdbc;
    private final Clock clock;

    LinkAccess(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    // One read by primary key per view: a change shows on every node at once, with no cache to clear.
    Who current() {
        return jdbc.sql("SELECT value FROM settings WHERE name = :name").param("name", SETTING)
                .query(String.class).optional()
                .map(value -> value.equals(Who.ANYONE.wire()) ? Who.ANYONE : Who.SIGNED_IN).orElse(Who.SIGNED_IN);
    }

    @Transactional
    Who change(Who who) {
        jdbc.sql(PUT).param("name", SETTING).param("value", who.wire()).param("now", clock.instant().toEpochMilli())
                .update();
        return who;
    }
}
