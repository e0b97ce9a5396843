package dev.nosso.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body over {@code nosso.limits.max-request-bytes}: at once when its {@code Content-Length}
 * says so, and while it is read when it comes chunked, without a length. A file upload (multipart, to
 * {@value #UPLOAD_PATH}) may be as large as {@code nosso.knowledge.max-file-bytes} plus room for the parts'
 * headers and small fields; the multipart parser then holds the file part to the file limit itself.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestSizeFilter extends OncePerRequestFilter {

    static final String UPLOAD_PATH = "/api/v1/files";
    static final long MULTIPART_OVERHEAD = 64 * 1024;

    private final Limits limits;
    private final long maxUploadBytes;

    RequestSizeFilter(Limits limits, @Value("${nosso.knowledge.max-file-bytes}") long maxFileBytes) {
        this.limits = limits;
        this.maxUploadBytes = maxFileBytes + MULTIPART_OVERHEAD;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        boolean upload = isUpload(request);
        long limit = upload ? maxUploadBytes : limits.maxRequestBytes();
        if (length > limit) {
            Problems.write(response, request.getRequestURI(), HttpStatus.CONTENT_TOO_LARGE,
                    upload ? "file-too-large" : "request-too-large", upload ? "The file is larger than the limit of "
                            + (maxUploadBytes - MULTIPART_OVERHEAD) + " bytes." : tooLarge());
            return;
        }
        chain.doFilter(length < 0 && !upload ? new Limited(request) : request, response);
    }

    // An upload without a length is held to the file limit by the multipart parser, part by part.
    private static boolean isUpload(HttpServletRequest request) {
        String type = request.getContentType();
        return "POST".equals(request.getMethod()) && UPLOAD_PATH.equals(request.getRequestURI())
                && type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
    }

    private String tooLarge() {
        return "The request body is larger than the limit of " + limits.maxRequestBytes() + " bytes.";
    }

    /** A request whose body, of unknown length, stops with a 413 once it passes the limit. */
    private final class Limited extends HttpServletRequestWrapper {

        private ServletInputStream limited;

        Limited(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = new CountingStream(super.getInputStream());
            }
            return limited;
        }
    }

    private final class CountingStream extends ServletInputStream {

        private final ServletInputStream in;
        private long read;

        CountingStream(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        // Thrown as the problem itself: the JSON reader lets a runtime exception from its stream through,
        // and MVC renders it as a 413 like any other.
        private void count(int n) {
            read += n;
            if (read > limits.maxRequestBytes()) {
                throw Problems.exception(HttpStatus.CONTENT_TOO_LARGE, "request-too-large", tooLarge());
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
