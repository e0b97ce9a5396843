package dev.nosso.platform;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Problem details for the errors that bypass {@link ProblemHandler}: a request refused with
 * {@code sendError} by a filter (the security firewall's double slashes and dot segments), which the web
 * server forwards to {@code /error}, and a request the web server refuses itself ({@link ProblemReportValve}).
 */
@RestController
class ErrorProblems implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null ? HttpStatus.resolve(c)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        ProblemDetail problem = status.is4xxClientError()
                ? Problems.of(status, status == HttpStatus.NOT_FOUND ? "not-found" : "malformed-request",
                        status == HttpStatus.NOT_FOUND ? "Nothing is at this address."
                                : "The request is not one this server accepts.")
                : Problems.of(status, "server-error", "The server could not answer this request.");
        return ResponseEntity.status(status).body(problem);
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
