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
 * Writes one conversation: its chat (found again when an import brought it before), the messages it lacks, a
 * bounded batch per transaction ({@link TransferSettings#batch()}), each with the record of its source ids and
 * the chat's count, then the shown leaf. So a conversation of any length never holds SQLite's one writer for
 * long; it is imported once however often its file is; and a job stopped between two batches resumes after the
 * last one committed: the recorded source ids say which messages are there already, and the next batches hang
 * from them.
 */
@Component
class Importer {

    static final String UNTITLED = "Imported chat";

    private final Writes writes;
    private final ImportedChats chats;
    private final ChatHistory history;
    private final ImportRepository imports;
    private final Limits limits;
    private final TransferSettings settings;

    Importer(Writes writes, ImportedChats chats, ChatHistory history, ImportRepository imports, Limits limits,
             TransferSettings settings) {
        this.writes = writes;
        this.chats = chats;
        this.history = history;
        this.imports = imports;
        this.limits = limits;
        this.settings = settings;
    }

    void write(UUID owner, UUID importId, Conversation c, ImportReport report) {
        String source = c.source();
        // The chat and the record of where it came from commit first, alone: every later batch finds it again.
        Placed placed = writes.run(() -> place(owner, importId, c, report));
        if (placed == null) {
            return;
        }
        UUID chatId = placed.chatId();
        Map<String, ImportRepository.Imported> existing = placed.existing();
        Map<String, UUID> ids = new HashMap<>();
        existing.forEach((sourceId, imported) -> ids.put(sourceId, imported.id()));
        List<Message> batch = new ArrayList<>();
        List<ImportRepository.Source> sources = new ArrayList<>();
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
            if (batch.size() == settings.batch()) {
                flush(owner, importId, source, chatId, c, batch, sources);
            }
        }
        flush(owner, importId, source, chatId, c, batch, sources);
        if (added > 0 || placed.created()) {
            UUID leaf = leaf(c, ids);
            writes.run(() -> {
                chats.finish(owner, chatId, leaf, 0, c.updatedAt());
                return null;
            });
        }
        report.conversation(placed.created(), imported, alreadyThere);
    }

    /** Where a conversation goes: its chat, whether this import made it, and its messages already imported. */
    private record Placed(UUID chatId, boolean created, Map<String, ImportRepository.Imported> existing) {
    }

    /** Finds or creates the conversation's chat; null when it is the owner's own chat, there already. */
    private Placed place(UUID owner, UUID importId, Conversation c, ImportReport report) {
        Optional<ImportRepository.Imported> known = imports.chatOf(owner, c.source(), c.sourceId());
        if (known.isEmpty() && NossoFormat.NAME.equals(c.source()) && ownChat(owner, c.sourceId())) {
            // A Nosso export read back into the account it came from: these chats are here already.
            report.conversation(false, 0, c.messages().size());
            return null;
        }
        if (known.isPresent()) {
            UUID chatId = known.get().id();
            // Made by this import, in an attempt that stopped: its messages so far came from this import too.
            return new Placed(chatId, known.get().importId().equals(importId), imports.messagesOf(owner, chatId));
        }
        UUID chatId = chats.create(owner, new ImportedChats.NewChat(title(c.title()), c.model(), c.systemPrompt(),
                c.pinned(), c.archived(), c.createdAt(), c.updatedAt()));
        imports.insertSources(owner, c.source(), importId, List.of(new ImportRepository.Source(c.sourceId(), chatId, null)));
        for (String leftOut : chats.label(owner, chatId, c.folder(), c.tags())) {
            report.skip("invalid-label");
            report.warn("“" + leftOut + "” cannot name a folder or tag here; chat “" + title(c.title())
                    + "” was imported without it.");
        }
        return new Placed(chatId, true, Map.of());
    }

    /** One batch in one transaction: the messages, the record of their source ids and the chat's count. */
    private void flush(UUID owner, UUID importId, String source, UUID chatId, Conversation c, List<Message> batch,
                       List<ImportRepository.Source> sources) {
        if (batch.isEmpty()) {
            return;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new RunImport.Stopped(); // a shutdown: the job is handed back and resumes after the last batch
        }
        writes.run(() -> {
            chats.add(owner, batch);
            imports.insertSources(owner, source, importId, sources);
            chats.finish(owner, chatId, null, batch.size(), c.updatedAt());
            return null;
        });
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
