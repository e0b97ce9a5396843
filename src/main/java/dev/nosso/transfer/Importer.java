package dev.nosso.transfer;

import dev.nosso.chat.ChatHistory;
import dev.nosso.chat.ImportedChats;
import dev.nosso.chat.Message;
import dev.nosso.platform.Ids;
import dev.nosso.platform.Limits;
import dev.nosso.platform.Writes;
import dev.nosso.transfer.Conversation.Turn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Writes one conversation, whole, in one transaction: its chat (found again when an import brought it before),
 * the messages it lacks, and the record of each source id and what it became. So a conversation is imported
 * once however often its file is; a file imported again after new messages were added at the source brings just
 * those; and a job that stops between two conversations leaves only whole ones behind.
 */
@Component
class Importer {

    static final String UNTITLED = "Imported chat";
    private static final int BATCH = 500;

    private final Writes writes;
    private final ImportedChats chats;
    private final ChatHistory history;
    private final ImportRepository imports;
    private final Limits limits;

    Importer(Writes writes, ImportedChats chats, ChatHistory history, ImportRepository imports, Limits limits) {
        this.writes = writes;
        this.chats = chats;
        this.history = history;
        this.imports = imports;
        this.limits = limits;
    }

    void write(UUID owner, UUID importId, Conversation conversation, ImportReport report) {
        writes.run(() -> {
            insert(owner, importId, conversation, report);
            return null;
        });
    }

    private void insert(UUID owner, UUID importId, Conversation c, ImportReport report) {
        String source = c.source();
        Optional<ImportRepository.Imported> known = imports.chatOf(owner, source, c.sourceId());
        if (known.isEmpty() && NossoFormat.NAME.equals(source) && ownChat(owner, c.sourceId())) {
            // A Nosso export read back into the account it came from: these chats are here already.
            report.conversation(false, 0, c.messages().size());
            return;
        }
        UUID chatId;
        boolean created;
        Map<String, ImportRepository.Imported> existing;
        List<ImportRepository.Source> sources = new ArrayList<>();
        if (known.isPresent()) {
            chatId = known.get().id();
            created = known.get().importId().equals(importId); // by this import, in an attempt that stopped
            existing = imports.messagesOf(owner, chatId);
        } else {
            chatId = chats.create(owner, new ImportedChats.NewChat(title(c.title()), c.model(), c.systemPrompt(),
                    c.pinned(), c.archived(), c.createdAt(), c.updatedAt()));
            created = true;
            existing = Map.of();
            sources.add(new ImportRepository.Source(c.sourceId(), chatId, null));
            for (String leftOut : chats.label(owner, chatId, c.folder(), c.tags())) {
                report.skip("invalid-label");
                report.warn("“" + leftOut + "” cannot name a folder or tag here; chat “" + title(c.title())
                        + "” was imported without it.");
            }
        }
        Map<String, UUID> ids = new HashMap<>();
        existing.forEach((sourceId, imported) -> ids.put(sourceId, imported.id()));
        List<Message> batch = new ArrayList<>();
        int imported = 0;
        int alreadyThere = 0;
        int added = 0;
        for (Turn turn : c.messages()) {
            String sourceId = c.sourceId() + "/" + turn.id();
            ImportRepository.Imported before = existing.get(sourceId);
            if (before != null) {
                if (before.importId().equals(importId)) {
                    imported++;
                } else {
                    alreadyThere++;
                }
                continue;
            }
            UUID parent = turn.parentId() == null ? null : ids.get(c.sourceId() + "/" + turn.parentId());
            UUID id = Ids.next();
            ids.put(sourceId, id);
            batch.add(new Message(id, chatId, parent, turn.depth(), turn.role(), turn.content(), turn.model(),
                    turn.status(), turn.error(), null, turn.sources(), turn.createdAt(), turn.updatedAt()));
            sources.add(new ImportRepository.Source(sourceId, chatId, id));
            imported++;
            added++;
            if (batch.size() == BATCH) {
                flush(owner, importId, source, batch, sources);
            }
        }
        flush(owner, importId, source, batch, sources);
        if (added > 0) {
            chats.finish(owner, chatId, leaf(c, ids), added, c.updatedAt());
        }
        report.conversation(created, imported, alreadyThere);
    }

    private void flush(UUID owner, UUID importId, String source, List<Message> batch,
                       List<ImportRepository.Source> sources) {
        chats.add(owner, batch);
        imports.insertSources(owner, source, importId, sources);
        batch.clear();
        sources.clear();
    }

    /** The message to show: the source's, else the newest leaf of the conversation. */
    private static UUID leaf(Conversation c, Map<String, UUID> ids) {
        if (c.activeLeafId() != null && ids.containsKey(c.sourceId() + "/" + c.activeLeafId())) {
            return ids.get(c.sourceId() + "/" + c.activeLeafId());
        }
        Set<String> parents = new HashSet<>();
        c.messages().forEach(t -> parents.add(t.parentId()));
        Turn newest = null;
        for (Turn t : c.messages()) {
            if (!parents.contains(t.id()) && (newest == null || !t.createdAt().isBefore(newest.createdAt()))) {
                newest = t;
            }
        }
        return newest == null ? null : ids.get(c.sourceId() + "/" + newest.id());
    }

    private boolean ownChat(UUID owner, String sourceId) {
        UUID id = Ids.parseOrNull(sourceId);
        return id != null && history.has(owner, id);
    }

    private String title(String title) {
        if (title == null || title.isBlank()) {
            return UNTITLED;
        }
        String stripped = title.strip();
        return stripped.length() > limits.maxTitleChars() ? stripped.substring(0, limits.maxTitleChars()) : stripped;
    }
}
