package dev.nosso.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a storage fault thrown by a filter (the look-up of a session or an API key while the database is
 * away) as {@link StorageFaults} says, here, before it reaches the web server: there it would be logged at
 * {@code ERROR} with a stack trace for every request of an outage, which {@link DatabaseOutage} logs once.
 * Faults met inside a controller are answered by {@link ProblemHandler}; any other exception passes on as it
 * came, to be logged as the error it is.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class StorageFaultFilter extends OncePerRequestFilter {

    private final DatabaseOutage outage;

    StorageFaultFilter(DatabaseOutage outage) {
        this.outage = outage;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | IOException | RuntimeException e) {
            var fault = StorageFaults.of(e);
            if (fault.isEmpty()) {
                throw e;
            }
            String what = request.getMethod() + " " + request.getRequestURI();
            if (!outage.noted(e, what)) {
                logger.warn(what + " answered " + fault.get().slug() + ": " + e);
            }
            if (response.isCommitted()) {
                return; // the answer had begun (a stream): the connection ends, which its client sees
            }
            response.resetBuffer(); // keeps the headers set so far (the security headers among them)
            if (fault.get().retryAfterSeconds() != null) {
                response.setHeader(HttpHeaders.RETRY_AFTER, fault.get().retryAfterSeconds().toString());
            }
            Problems.write(response, request.getRequestURI(), fault.get().status(), fault.get().slug(),
                    fault.get().detail());
        }
    }
}
