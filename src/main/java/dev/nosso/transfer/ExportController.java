package dev.nosso.transfer;

import dev.nosso.chat.Chat;
import dev.nosso.chat.Chats;
import dev.nosso.identity.Caller;
import dev.nosso.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Downloads of chats, as Nosso's JSON (every branch; imported again, it gives the same trees) or as Markdown
 * (the branch shown). Written to the response as they are read, so their size costs no memory; a chat that is
 * not the caller's is a 404 before any byte.
 */
@RestController
@Tag(name = "Import and export")
class ExportController {

    private final Chats chats;
    private final NossoExport json;
    private final MarkdownExport markdown;
    private final Clock clock;

    ExportController(Chats chats, NossoExport json, MarkdownExport markdown, Clock clock) {
        this.chats = chats;
        this.json = json;
        this.markdown = markdown;
        this.clock = clock;
    }

    @GetMapping("/api/v1/chats/{chatId}/export")
    @Operation(summary = "One chat as a file: format=json (every branch) or markdown (the branch shown)")
    void one(@AuthenticationPrincipal Caller caller, @PathVariable UUID chatId,
             @RequestParam(defaultValue = "json") String format, HttpServletResponse response) throws IOException {
        boolean asJson = json(format);
        Chat chat = chats.get(caller.userId(), chatId);
        send(response, caller.userId(), chat, asJson, fileName(chat.title()) + (asJson ? ".json" : ".md"));
    }

    @GetMapping("/api/v1/exports")
    @Operation(summary = "All of the caller's chats as one file: format=json (every branch) or markdown")
    void all(@AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "json") String format,
             HttpServletResponse response) throws IOException {
        boolean asJson = json(format);
        String date = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        send(response, caller.userId(), null, asJson, "nosso-chats-" + date + (asJson ? ".json" : ".md"));
    }

    private void send(HttpServletResponse response, UUID owner, Chat chat, boolean asJson, String name)
            throws IOException {
        response.setContentType(asJson ? "application/json" : "text/markdown");
        response.setCharacterEncoding("UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(name, StandardCharsets.UTF_8).build().toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (asJson) {
            json.write(owner, chat, response.getOutputStream());
        } else {
            markdown.write(owner, chat, response.getOutputStream());
        }
    }

    private static boolean json(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> true;
            case "markdown", "md" -> false;
            default -> throw Problems.exception(HttpStatus.BAD_REQUEST, "validation",
                    "format must be json or markdown.");
        };
    }

    /** A file name from a chat's title: letters, digits and dashes, never empty. */
    static String fileName(String title) {
        String name = title == null ? "" : title.strip().replaceAll("[^\\p{L}\\p{N}]+", "-")
                .replaceAll("(^-+|-+$)", "");
        if (name.length() > 80) {
            name = name.substring(0, 80);
        }
        return name.isEmpty() ? "chat" : name;
    }
}
