package dev.nosso.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.MultipartConfigElement;
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
 * says so, and while it is read when it comes chunked, without a length. An upload (multipart) may be larger:
 * a file to {@value #UPLOAD_PATH} as large as {@code nosso.knowledge.max-file-bytes}, an export to
 * {@value #IMPORT_PATH} as large as {@code nosso.imports.max-bytes}, each plus room for the parts' headers and
 * small fields. The multipart parser holds a file part to the larger of the two ({@link #multipartConfig}), and
 * the spool that receives it to its own path's limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestSizeFilter extends OncePerRequestFilter {

    static final String UPLOAD_PATH = "/api/v1/files";
    static final String IMPORT_PATH = "/api/v1/imports";
    static final long MULTIPART_OVERHEAD = 64 * 1024;
    static final String COMPLETIONS_PATH = "/v1/chat/completions";

    private final Limits limits;
    private final long maxFileBytes;
    private final long maxImportBytes;
    private final long maxImageBytes;

    RequestSizeFilter(Limits limits, @Value("${nosso.knowledge.max-file-bytes}") long maxFileBytes,
                      @Value("${nosso.imports.max-bytes}") long maxImportBytes,
                      @Value("${nosso.images.max-bytes:10485760}") long maxImageBytes) {
        this.limits = limits;
        this.maxImageBytes = maxImageBytes;
        this.maxFileBytes = maxFileBytes;
        this.maxImportBytes = maxImportBytes;
    }

    /**
     * The multipart parser's limit for one file part: the larger of the two uploads' limits, since the servlet
     * container has one for all paths. Each path's own limit is then held by its Content-Length here, or by the
     * spool that receives the part.
     */
    static MultipartConfigElement multipartConfig(long maxFileBytes, long maxImportBytes) {
        return new MultipartConfigElement(null, Math.max(maxFileBytes, maxImportBytes), -1, 0);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        long upload = uploadLimit(request);
        long limit = upload > 0 ? upload + MULTIPART_OVERHEAD : bodyLimit(request);
        if (length > limit) {
            boolean isImport = upload > 0 && IMPORT_PATH.equals(request.getRequestURI());
            Problems.write(response, request.getRequestURI(), HttpStatus.CONTENT_TOO_LARGE,
                    upload <= 0 ? "request-too-large" : isImport ? "import-too-large" : "file-too-large",
                    upload <= 0 ? tooLarge(limit) : "The file is larger than the limit of " + upload + " bytes"
                            + (isImport ? " for an import." : "."));
            return;
        }
        chain.doFilter(length < 0 && upload <= 0 ? new Limited(request, limit) : request, response);
    }

    // A completion of the OpenAI-compatible API may carry an image as a data URL (base64: four bytes for three),
    // which no other JSON body does: it gets room for one image at the largest size allowed.
    private long bodyLimit(HttpServletRequest request) {
        return COMPLETIONS_PATH.equals(request.getRequestURI())
                ? limits.maxRequestBytes() + (maxImageBytes + 2) / 3 * 4 : limits.maxRequestBytes();
    }

    // An upload without a length is held to its limit by the multipart parser and the spool, part by part.
    private long uploadLimit(HttpServletRequest request) {
        String type = request.getContentType();
        if (!"POST".equals(request.getMethod()) || type == null
                || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            return 0;
        }
        return switch (request.getRequestURI()) {
            case UPLOAD_PATH -> maxFileBytes;
            case IMPORT_PATH -> maxImportBytes;
            default -> 0;
        };
    }

    private static String tooLarge(long limit) {
        return "The request body is larger than the limit of " + limit + " bytes.";
    }

    /** A request whose body, of unknown length, stops with a 413 once it passes the limit. */
    private final class Limited extends HttpServletRequestWrapper {

        private ServletInputStream limited;
        private final long limit;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = new CountingStream(super.getInputStream(), limit);
            }
            return limited;
        }
    }

    private final class CountingStream extends ServletInputStream {

        private final ServletInputStream in;
        private final long limit;
        private long read;

        CountingStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
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
            if (read > limit) {
                throw Problems.exception(HttpStatus.CONTENT_TOO_LARGE, "request-too-large", tooLarge(limit));
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
