package dev.nosso.identity;

import dev.nosso.identity.ThrottleCounts.Verdict;
import dev.nosso.platform.Problems;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Limits password guessing: per email (one account attacked from many addresses) and per client address
 * (many accounts tried from one). Each sign-in attempt takes an attempt from both counts before the password
 * is checked, so concurrent guesses cannot slip past the count; a success gives the address its attempt back
 * and the email all of its attempts. A count with none left answers 429 with {@code Retry-After}, even for
 * the right password, until the window that began with the first counted attempt is over. Sign-ups are
 * counted per address too, since each one costs a password hash.
 *
 * <p>The counts are the {@link ThrottleCounts} that {@code ThrottleConfiguration} chose: shared by every node
 * when several share the database, so a guess on one node counts on all of them.
 */
@Component
class LoginThrottle {

    private final ThrottleCounts counts;
    private final int perEmail;
    private final int perAddress;
    private final int signupsPerAddress;

    LoginThrottle(ThrottleCounts counts, IdentitySettings settings) {
        this.counts = counts;
        this.perEmail = settings.loginFailuresAllowed();
        this.perAddress = settings.loginFailuresAllowedPerAddress();
        this.signupsPerAddress = settings.signupsPerAddress();
    }

    /** A counted attempt: call {@link #succeeded()} when the password was right. */
    final class Attempt {
        private final String email;
        private final String address;

        private Attempt(String email, String address) {
            this.email = email;
            this.address = address;
        }

        void succeeded() {
            counts.reset(email, perEmail);
            counts.giveBack(address, perAddress);
        }
    }

    /** Counts an attempt, or throws 429 when either the email or the address has no attempts left. */
    Attempt begin(String email, String clientAddress) {
        String emailKey = "email:" + email;
        String addressKey = "address:" + clientAddress;
        Verdict byEmail = counts.take(emailKey, perEmail);
        if (!byEmail.allowed()) {
            throw tooMany(byEmail.retryAfter(), "Too many failed sign-ins");
        }
        Verdict byAddress = counts.take(addressKey, perAddress);
        if (!byAddress.allowed()) {
            counts.giveBack(emailKey, perEmail); // this attempt never happens, so it must not count against the email
            throw tooMany(byAddress.retryAfter(), "Too many failed sign-ins");
        }
        return new Attempt(emailKey, addressKey);
    }

    /** Counts a sign-up from an address (each costs a password hash), or throws 429 when it has none left. */
    void signUp(String clientAddress) {
        Verdict verdict = counts.take("signup:" + clientAddress, signupsPerAddress);
        if (!verdict.allowed()) {
            throw tooMany(verdict.retryAfter(), "Too many sign-ups from your address");
        }
    }

    private static ErrorResponseException tooMany(Duration wait, String what) {
        long seconds = Math.max(1, wait.toSeconds() + 1);
        ErrorResponseException e = Problems.exception(HttpStatus.TOO_MANY_REQUESTS, "too-many-attempts",
                what + "; try again in " + seconds + " seconds.");
        e.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return e;
    }
}
