package dev.nosso.transfer;

import dev.nosso.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
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
@RequestMapping("/api/v1/imports")
@Tag(name = "Import and export")
class ImportController {

    private final Imports imports;

    ImportController(Imports imports) {
        this.imports = imports;
    }

    // 202: the file is stored and its job queued; the body says where to follow it (jobId) and, once it has
    // ended, what it imported (GET /api/v1/imports/{id}).
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Import chats (part 'file'): ChatGPT's conversations.json or its zip, Open WebUI's "
            + "chat export, or Nosso's own export; read by a job")
    ImportView start(@AuthenticationPrincipal Caller caller, @RequestPart("file") MultipartFile file)
            throws IOException {
        try (InputStream content = file.getInputStream()) {
            return imports.start(caller.userId(), file.getOriginalFilename(), content);
        }
    }

    @GetMapping
    @Operation(summary = "The caller's imports, newest first")
    List<ImportView> list(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) Integer limit) {
        return imports.list(caller.userId(), limit);
    }

    @GetMapping("/{importId}")
    @Operation(summary = "An import: its state and its report (imported, skipped and why)")
    ImportView get(@AuthenticationPrincipal Caller caller, @PathVariable UUID importId) {
        return imports.get(caller.userId(), importId);
    }
}
