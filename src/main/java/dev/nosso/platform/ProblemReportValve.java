package dev.nosso.platform;

import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * The web server's own error answer, for requests it refuses before the application sees them (a request
 * target that does not decode, an encoded slash, headers over the limit): a problem detail like every other
 * error of the API, instead of Tomcat's HTML page. Tomcat creates it by class name, hence public.
 */
public class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code);
        if (status == null) {
            status = code < 500 ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
        }
        try {
            response.resetBuffer();
            Problems.write(response, null, status, status.is4xxClientError() ? "malformed-request" : "server-error",
                    status.is4xxClientError() ? "The request is not valid HTTP, or not one this server accepts."
                            : "The server could not answer this request.");
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the answer already started: nothing more to say
        }
    }
}
