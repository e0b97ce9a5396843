package dev.nosso.usage;

/**
 * The tokens (prompt and completion) one user may spend per {@link Period}; 0 is unlimited.
 */
public record Budget(long tokens, Period period) {

    static final Budget UNLIMITED = new Budget(0, Period.MONTH);

    boolean limited() {
        return tokens > 0;
    }
}
