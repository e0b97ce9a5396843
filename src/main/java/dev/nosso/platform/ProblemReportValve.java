package dev.nosso.platform;

import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

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
        ErrorProblems.Refusal refusal = ErrorProblems.Refusal.of(code);
        try {
            response.resetBuffer();
            Problems.write(response, null, refusal.status(), refusal.slug(), refusal.detail());
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the answer already started: nothing more to say
        }
    }
}
