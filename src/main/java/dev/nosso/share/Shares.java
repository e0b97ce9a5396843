package dev.nosso.share;

import dev.nosso.chat.Chat;
import dev.nosso.chat.ChatHistory;
import dev.nosso.chat.Chats;
import dev.nosso.chat.ImportedChats;
import dev.nosso.chat.Message;
import dev.nosso.chat.MessageRole;
import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Source;
import dev.nosso.identity.Caller;
import dev.nosso.identity.Role;
import dev.nosso.platform.Ids;
import dev.nosso.platform.NotFound;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Writes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Shares a chat's shown branch as a link, updates or revokes it, shows it to viewers and copies it for them. */
@Service
class Shares {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TOKEN_BYTES = 32; // 256 bits: found by nobody who was not given it

    private final ShareRepository shares;
    private final Chats chats;
    private final ChatHistory history;
    private final ImportedChats imported;
    private final LinkAccess access;
    private final Writes writes;
    private final Clock clock;

    Shares(ShareRepository shares, Chats chats, ChatHistory history, ImportedChats imported, LinkAccess access,
           Writes writes, Clock clock) {
        this.writes = writes;
        this.shares = shares;
        this.chats = chats;
        this.history = history;
        this.imported = imported;
        this.access = access;
        this.clock = clock;
    }

    /**
     * A chat's link as its owner sees it.
     *
     * @param path   where the link opens, the same across updates
     * @param access who may open it now: {@code anyone} or {@code signed-in}
     */
    record Link(String token, String path, String access, Instant createdAt, Instant updatedAt) {
    }

    /** What a viewer gets: the snapshot, when it was taken, and whether they may continue it as their own chat. */
    record SharedChat(String title, List<Snapshot.SharedMessage> messages, Instant sharedAt, boolean canContinue) {
    }

    /** The result of sharing: the link, and whether it is new (false when an existing link was updated). */
    record Shared(Link link, boolean created) {
    }

    /**
     * Shares the chat's shown branch as it is now: a new link the first time, the same link with a new snapshot
     * afterwards. The branch is read before the write, so the database's one writer is never held for a read.
     */
    Shared share(UUID owner, UUID chatId) {
        Chat chat = chats.get(owner, chatId); // 404 for a chat that is not the owner's
        List<Message> branch = new ArrayList<>();
        history.eachOnActiveBranch(owner, chatId, branch::add);
        String snapshot = Snapshot.of(chat.title(), chatId, branch).toJson();
        Instant now = clock.instant();
        Shared shared = writes.run(() -> {
            boolean existed = shares.find(owner, chatId).isPresent();
            ShareRepository.Link stored = shares.put(owner, chatId, newToken(), snapshot, now)
                    .orElseThrow(() -> new NotFound("chat")); // deleted meanwhile: before anything was written
            return new Shared(link(stored), !existed);
        });
        return shared;
    }

    @Transactional(readOnly = true)
    Optional<Link> find(UUID owner, UUID chatId) {
        return shares.find(owner, chatId).map(this::link);
    }

    /** Revokes the chat's link: from now on it answers 404, and sharing again makes a new one. */
    @Transactional
    void revoke(UUID owner, UUID chatId) {
        if (!shares.delete(owner, chatId)) {
            throw Problems.exception(HttpStatus.NOT_FOUND, "share-not-found", "This chat has no shared link.");
        }
    }

    /**
     * The shared chat behind a token, for {@code viewer} (null when signed out).
     *
     * @throws org.springframework.web.ErrorResponseException 404 for an unknown or revoked link; 401 when
     *         links are for signed-in users and the viewer is not signed in
     */
    @Transactional(readOnly = true)
    SharedChat view(String token, Caller viewer) {
        ShareRepository.Stored stored = stored(token, viewer);
        Snapshot snapshot = Snapshot.fromJson(stored.snapshot());
        return new SharedChat(snapshot.title(), snapshot.messages(), stored.updatedAt(), signedIn(viewer));
    }

    /** Copies the shared chat into the viewer's own chats, where they can go on with it; returns the new chat. */
    @Transactional
    Chat copy(String token, Caller viewer) {
        Snapshot snapshot = Snapshot.fromJson(stored(token, viewer).snapshot());
        UUID owner = viewer.userId();
        Instant now = clock.instant();
        String model = snapshot.messages().stream().map(Snapshot.SharedMessage::model)
                .filter(m -> m != null && !m.isBlank()).reduce((a, b) -> b).orElse(null);
        UUID chatId = imported.create(owner, new ImportedChats.NewChat(snapshot.title(), model, null, false, false,
                now, now));
        List<Message> copied = new ArrayList<>(snapshot.messages().size());
        UUID parent = null;
        for (Snapshot.SharedMessage m : snapshot.messages()) {
            List<Source> sources = m.sources().stream().map(s -> new Source(s.n(), null, s.sourceKind(), null,
                    s.sourceName(), null, s.headingPath(), s.text(), 0)).toList();
            Instant at = m.createdAt() == null ? now : m.createdAt();
            Message message = new Message(Ids.next(), chatId, parent, copied.size(), MessageRole.fromWire(m.role()),
                    m.content(), m.model(), MessageStatus.fromWire(m.status()), null, null, sources, at, at);
            copied.add(message);
            parent = message.id();
        }
        imported.add(owner, copied);
        imported.finish(owner, chatId, parent, copied.size(), now);
        return chats.get(owner, chatId);
    }

    /** The snapshot behind a token, if this viewer may see it. */
    private ShareRepository.Stored stored(String token, Caller viewer) {
        if (token == null || token.length() > 100) {
            throw notFound();
        }
        ShareRepository.Stored stored = shares.byToken(token).orElseThrow(Shares::notFound);
        if (access.current() == LinkAccess.Who.SIGNED_IN && !signedIn(viewer)) {
            throw Problems.exception(HttpStatus.UNAUTHORIZED, "sign-in-to-view",
                    "Sign in to see this shared chat: on this server, links work for signed-in users only.");
        }
        return stored;
    }

    // A pending account has signed in but is not yet let in: it sees what a visitor sees.
    private static boolean signedIn(Caller viewer) {
        return viewer != null && viewer.role() != Role.PENDING;
    }

    private Link link(ShareRepository.Link stored) {
        return new Link(stored.token(), "/s/" + stored.token(), access.current().wire(), stored.createdAt(),
                stored.updatedAt());
    }

    private static org.springframework.web.ErrorResponseException notFound() {
        return Problems.exception(HttpStatus.NOT_FOUND, "share-not-found",
                "No shared chat has this link: it was never made, or its owner revoked it.");
    }

    private static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
