package dev.nosso.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nosso.platform.Problems;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Limits password guessing: per email (one account attacked from many addresses) and per client address
 * (many accounts tried from one). Each sign-in attempt takes a token from both buckets before the password
 * is checked, so concurrent guesses cannot slip past the count; a success gives the address its token back
 * and refills the email's bucket. An empty bucket answers 429 with {@code Retry-After}, even for the right
 * password, until the window that began with the first counted attempt is over. Sign-ups are counted per
 * address too, since each one costs a password hash.
 *
 * <p>The counts live in this process's memory: with several nodes each counts on its own, and a restart
 * forgets them. The cache is bounded, so a flood of made-up emails cannot exhaust memory.
 */
@Component
class LoginThrottle {

    private final Cache<String, Bucket> buckets;
    private final int perEmail;
    private final int perAddress;
    private final int signupsPerAddress;
    private final Duration window;

    LoginThrottle(IdentitySettings settings) {
        this.perEmail = settings.loginFailuresAllowed();
        this.perAddress = settings.loginFailuresAllowedPerAddress();
        this.signupsPerAddress = settings.signupsPerAddress();
        this.window = settings.loginLockout();
        this.buckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(window).build();
    }

    /** A counted attempt: call {@link #succeeded()} when the password was right. */
    final class Attempt {
        private final Bucket email;
        private final Bucket address;

        private Attempt(Bucket email, Bucket address) {
            this.email = email;
            this.address = address;
        }

        void succeeded() {
            email.reset();
            address.addTokens(1);
        }
    }

    /** Counts an attempt, or throws 429 when either the email or the address has no attempts left. */
    Attempt begin(String email, String clientAddress) {
        Bucket emailBucket = buckets.get("email:" + email, key -> bucket(perEmail));
        Bucket addressBucket = buckets.get("address:" + clientAddress, key -> bucket(perAddress));
        ConsumptionProbe byEmail = emailBucket.tryConsumeAndReturnRemaining(1);
        if (!byEmail.isConsumed()) {
            throw tooMany(byEmail.getNanosToWaitForRefill(), "Too many failed sign-ins");
        }
        ConsumptionProbe byAddress = addressBucket.tryConsumeAndReturnRemaining(1);
        if (!byAddress.isConsumed()) {
            emailBucket.addTokens(1); // this attempt never happens, so it must not count against the email
            throw tooMany(byAddress.getNanosToWaitForRefill(), "Too many failed sign-ins");
        }
        return new Attempt(emailBucket, addressBucket);
    }

    /** Counts a sign-up from an address (each costs a password hash), or throws 429 when it has none left. */
    void signUp(String clientAddress) {
        Bucket bucket = buckets.get("signup:" + clientAddress, key -> bucket(signupsPerAddress));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw tooMany(probe.getNanosToWaitForRefill(), "Too many sign-ups from your address");
        }
    }

    private Bucket bucket(int attempts) {
        return Bucket.builder().addLimit(limit -> limit.capacity(attempts).refillIntervally(attempts, window)).build();
    }

    private static ErrorResponseException tooMany(long nanosToWait, String what) {
        long seconds = Math.max(1, Duration.ofNanos(nanosToWait).toSeconds() + 1);
        ErrorResponseException e = Problems.exception(HttpStatus.TOO_MANY_REQUESTS, "too-many-attempts",
                what + "; try again in " + seconds + " seconds.");
        e.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return e;
    }
}
