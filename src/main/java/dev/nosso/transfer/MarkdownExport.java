package dev.nosso.transfer;

import dev.nosso.chat.Chat;
import dev.nosso.chat.ChatHistory;
import dev.nosso.chat.Message;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Writes chats as Markdown for people to read: each chat's title, then the messages of the branch it shows,
 * oldest first, each under a heading naming who wrote it (and the model, for an answer). Other branches are
 * left out; the JSON export keeps them. Streamed as it is read.
 */
@Component
class MarkdownExport {

    private final ChatHistory history;

    MarkdownExport(ChatHistory history) {
        this.history = history;
    }

    /** One chat, or (with {@code only} null) all of the owner's chats, separated by rules. */
    void write(UUID owner, Chat only, OutputStream out) {
        try {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            if (only != null) {
                chat(writer, owner, only);
            } else {
                boolean[] first = {true};
                history.eachChat(owner, chat -> {
                    try {
                        if (!first[0]) {
                            writer.write("\n---\n\n");
                        }
                        first[0] = false;
                        chat(writer, owner, chat);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void chat(Writer writer, UUID owner, Chat chat) throws IOException {
        writer.write("# " + oneLine(chat.title()) + "\n\n");
        writer.write("*" + chat.createdAt() + "*\n\n");
        try {
            history.eachOnActiveBranch(owner, chat.id(), m -> {
                try {
                    message(writer, m);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void message(Writer writer, Message m) throws IOException {
        String who = switch (m.role()) {
            case USER -> "User";
            case ASSISTANT -> m.model() == null ? "Assistant" : "Assistant (" + oneLine(m.model()) + ")";
            case SYSTEM -> "System";
        };
        writer.write("## " + who + "\n\n");
        writer.write(m.content());
        writer.write("\n\n");
        if (m.error() != null) {
            writer.write("> " + oneLine(m.error()) + "\n\n");
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").strip();
    }
}
