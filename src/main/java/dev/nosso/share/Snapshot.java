package dev.nosso.share;

import dev.nosso.chat.Message;
import dev.nosso.chat.MessageRole;
import dev.nosso.chat.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a shared link shows, as stored in {@code shares.snapshot}: built from the branch alone, so that what is
 * not here cannot leak through a link whatever the page does.
 *
 * @param title    the chat's title when it was shared or last updated
 * @param messages the questions and answers of the shown branch, oldest first
 */
record Snapshot(String title, List<SharedMessage> messages) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One message as the link shows it. An answer that was still being written when the snapshot was taken is
     * kept with its text so far, as {@code interrupted}; an error keeps its status but not its reason, which
     * may name the owner's provider.
     */
    record SharedMessage(String role, String content, String model, String status, List<SharedSource> sources,
                         Instant createdAt) {
    }

    /** A cited passage: its number, kind, name, heading and text, without the ids of the owner's files or chats. */
    record SharedSource(int n, String sourceKind, String sourceName, String headingPath, String text) {
    }

    /**
     * The snapshot of a branch. System messages stay out (the chat's instructions are the owner's), and so do
     * passages of the owner's memory that come from another branch of this very chat.
     */
    static Snapshot of(String title, UUID chatId, List<Message> branch) {
        Set<UUID> onBranch = new java.util.HashSet<>();
        branch.forEach(m -> onBranch.add(m.id()));
        List<SharedMessage> shown = new ArrayList<>(branch.size());
        for (Message m : branch) {
            if (m.role() == MessageRole.SYSTEM) {
                continue;
            }
            List<SharedSource> sources = new ArrayList<>();
            for (Source s : m.sources()) {
                boolean otherBranch = "message".equals(s.sourceKind()) && chatId.equals(s.chatId())
                        && !onBranch.contains(s.sourceId());
                if (!otherBranch) {
                    sources.add(new SharedSource(s.n(), s.sourceKind(), s.sourceName(), s.headingPath(), s.text()));
                }
            }
            String status = m.unfinished() ? "interrupted" : m.status().wire();
            shown.add(new SharedMessage(m.role().wire(), m.content(), m.model(), status, List.copyOf(sources),
                    m.createdAt()));
        }
        return new Snapshot(title, List.copyOf(shown));
    }

    String toJson() {
        return JSON.writeValueAsString(this);
    }

    static Snapshot fromJson(String json) {
        return JSON.readValue(json, Snapshot.class);
    }
}
