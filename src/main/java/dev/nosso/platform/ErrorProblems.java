package dev.nosso.platform;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Problem details for the errors that bypass {@link ProblemHandler}: a request refused with
 * {@code sendError} by a filter (the security firewall's double slashes and dot segments), which the web
 * server forwards to {@code /error}, an exception a filter throws (a storage fault is answered as
 * {@link StorageFaults} says), and a request the web server refuses itself ({@link ProblemReportValve}).
 */
@RestController
class ErrorProblems implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<?> error(HttpServletRequest request) {
        // An exception thrown by a filter before any controller reaches here rather than ProblemHandler. A storage
        // fault (the look-up of a session or an API key while the database is away) is answered by
        // StorageFaultFilter before it gets here; this stays for one thrown where that filter does not reach.
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable thrown) {
            var fault = StorageFaults.of(thrown);
            if (fault.isPresent() && String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI))
                    .startsWith("/v1/")) {
                ResponseEntity<ProblemDetail> problem = ProblemHandler.storageFault(fault.get());
                return ResponseEntity.status(problem.getStatusCode()).headers(problem.getHeaders())
                        .contentType(MediaType.APPLICATION_JSON).body(openAiError(fault.get()));
            }
            if (fault.isPresent()) {
                return ProblemHandler.storageFault(fault.get());
            }
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Refusal refusal = Refusal.of(code instanceof Integer c ? c : 500);
        return ResponseEntity.status(refusal.status())
                .body(Problems.of(refusal.status(), refusal.slug(), refusal.detail()));
    }

    /** A storage fault in OpenAI's error shape, which the clients of {@code /v1} parse. */
    private static Map<String, Object> openAiError(StorageFaults.Fault fault) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", fault.detail());
        error.put("type", "server_error");
        error.put("param", null);
        error.put("code", fault.slug().replace('-', '_'));
        return Map.of("error", error);
    }

    /** The problem for an error status that nothing more is known of; the same from here and from the valve. */
    record Refusal(HttpStatus status, String slug, String detail) {

        static Refusal of(int code) {
            HttpStatus status = HttpStatus.resolve(code);
            if (status == null) {
                status = code >= 400 && code < 500 ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
            }
            if (status == HttpStatus.NOT_FOUND) {
                return new Refusal(status, "not-found", "Nothing is at this address.");
            }
            return status.is4xxClientError()
                    ? new Refusal(status, "malformed-request", "The request is not one this server accepts.")
                    : new Refusal(status, "server-error", "The server could not answer this request.");
        }
    }

    /** Puts {@link ProblemReportValve} in place of Tomcat's HTML error report. */
    @Component
    static class TomcatErrorReport implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
                    host.setErrorReportValveClass(ProblemReportValve.class.getName());
                }
            });
        }
    }
}
