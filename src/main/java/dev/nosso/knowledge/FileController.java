package dev.nosso.knowledge;

import dev.nosso.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/files")
@Tag(name = "Files")
class FileController {

    private final Uploads uploads;

    FileController(Uploads uploads) {
        this.uploads = uploads;
    }

    // 201 for a new file, 200 for the same bytes uploaded again: either way the body is the stored file,
    // whose jobId and status say how far its ingestion is.
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload a file (part 'file'); its text is indexed by a job")
    ResponseEntity<StoredFile> upload(@AuthenticationPrincipal Caller caller, @RequestPart("file") MultipartFile file,
                                      @RequestParam(required = false) UUID collectionId,
                                      @RequestParam(required = false) UUID chatId) throws IOException {
        try (InputStream content = file.getInputStream()) {
            Uploads.Upload upload = uploads.upload(caller.userId(), file.getOriginalFilename(), content,
                    collectionId, chatId);
            return ResponseEntity.status(upload.created() ? HttpStatus.CREATED : HttpStatus.OK).body(upload.file());
        }
    }

    @GetMapping
    FilePage list(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) String cursor,
                  @RequestParam(required = false) Integer limit) {
        return uploads.list(caller.userId(), cursor, limit);
    }

    @GetMapping("/{fileId}")
    StoredFile get(@AuthenticationPrincipal Caller caller, @PathVariable UUID fileId) {
        return uploads.get(caller.userId(), fileId);
    }

    // Always as an attachment: an uploaded HTML file must never run as a page of this site. The bytes are opened
    // before any header is set, so bytes that are missing or out of reach get a problem, never a 200 that ends
    // short; the stream is closed here whatever happens to the answer.
    @GetMapping("/{fileId}/content")
    @Operation(summary = "The file's original bytes",
            description = "404 file-bytes-missing when the server's file store lacks them, 503 file-store-unavailable when it cannot be reached")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = "application/octet-stream"))
    void content(@AuthenticationPrincipal Caller caller, @PathVariable UUID fileId, HttpServletResponse response)
            throws IOException {
        StoredFile file = uploads.get(caller.userId(), fileId);
        try (InputStream bytes = uploads.content(file)) {
            response.setContentType(file.mediaType());
            response.setContentLengthLong(file.size());
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                    ContentDisposition.attachment().filename(file.name(), StandardCharsets.UTF_8).build().toString());
            bytes.transferTo(response.getOutputStream());
        }
    }

    @DeleteMapping("/{fileId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal Caller caller, @PathVariable UUID fileId) {
        uploads.delete(caller.userId(), fileId);
    }
}
