package dev.nosso.transfer;

import dev.nosso.chat.MessageRole;
import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Source;
import dev.nosso.transfer.Conversation.Turn;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The message tree of one conversation as a reader finds it (nodes by id, each naming its parent), turned into
 * what Nosso stores: the nodes left out (hidden, tool, empty) vanish and their children hang from the nearest
 * node kept, depths are counted, and the messages come parents first, siblings oldest first. A node whose parent
 * is missing becomes a root; nodes caught in a cycle are left out with a warning.
 */
final class MessageTree {

    /** A node's message, or null for a node left out. */
    record Draft(MessageRole role, String content, String model, MessageStatus status, String error,
                 Instant createdAt, Instant updatedAt, List<Source> sources) {

        Draft(MessageRole role, String content, String model, MessageStatus status, String error,
              Instant createdAt, Instant updatedAt) {
            this(role, content, model, status, error, createdAt, updatedAt, List.of());
        }
    }

    private record Node(String id, String parentId, Draft draft, int order) {
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();

    void add(String id, String parentId, Draft draft) {
        nodes.putIfAbsent(id, new Node(id, parentId, draft, nodes.size()));
    }

    boolean isEmpty() {
        return nodes.isEmpty();
    }

    /** The messages kept, parents first; times missing in the source are taken from the parent, or {@code fallback}. */
    List<Turn> parentsFirst(Instant fallback, ImportReport report, String conversation) {
        Map<String, List<Node>> children = new HashMap<>();
        List<Node> roots = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (node.parentId() == null || !nodes.containsKey(node.parentId()) || node.parentId().equals(node.id())) {
                roots.add(node);
            } else {
                children.computeIfAbsent(node.parentId(), k -> new ArrayList<>()).add(node);
            }
        }
        Comparator<Node> oldestFirst = Comparator.comparing((Node n) -> n.draft() == null || n.draft().createdAt() == null
                ? Instant.MIN : n.draft().createdAt()).thenComparingInt(Node::order);
        record Visit(Node node, String keptParent, int depth, Instant parentTime) {
        }
        List<Turn> turns = new ArrayList<>();
        Deque<Visit> queue = new ArrayDeque<>();
        roots.stream().sorted(oldestFirst).forEach(root -> queue.add(new Visit(root, null, 0, fallback)));
        int seen = 0;
        while (!queue.isEmpty()) {
            Visit visit = queue.poll();
            seen++;
            Node node = visit.node();
            String keptParent = visit.keptParent();
            int depth = visit.depth();
            Instant time = visit.parentTime();
            if (node.draft() != null) {
                Draft d = node.draft();
                Instant created = d.createdAt() != null ? d.createdAt() : time;
                Instant updated = d.updatedAt() != null && !d.updatedAt().isBefore(created) ? d.updatedAt() : created;
                turns.add(new Turn(node.id(), keptParent, depth, d.role(), d.content(), d.model(), d.status(), d.error(),
                        created, updated, d.sources()));
                keptParent = node.id();
                depth++;
                time = created;
            }
            for (Node child : children.getOrDefault(node.id(), List.of()).stream().sorted(oldestFirst).toList()) {
                queue.add(new Visit(child, keptParent, depth, time));
            }
        }
        if (seen < nodes.size()) {
            report.warn("“" + conversation + "”: " + (nodes.size() - seen)
                    + " messages form a cycle in the file and were left out.");
        }
        return turns;
    }

    /** The node itself if kept, else its nearest kept ancestor; null when none is. */
    String keptAncestor(String id) {
        Node node = id == null ? null : nodes.get(id);
        for (int steps = 0; node != null && steps <= nodes.size(); steps++) {
            if (node.draft() != null) {
                return node.id();
            }
            node = node.parentId() == null ? null : nodes.get(node.parentId());
        }
        return null;
    }
}
