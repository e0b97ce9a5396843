package dev.nosso.chat;

import dev.nosso.platform.Problems;
import dev.nosso.platform.Texts;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A user's tags. A tag exists while at least one chat carries it. */
@Service
class Tags {

    static final int MAX_LENGTH = 50;

    private final TagRepository tags;

    Tags(TagRepository tags) {
        this.tags = tags;
    }

    @Transactional(readOnly = true)
    List<TagRepository.TagCount> list(UUID owner) {
        return tags.counts(owner);
    }

    /** Tags compare without case or surrounding space: "Work " and "work" are one tag. */
    static String normalise(String name) {
        String tag = name == null ? "" : Texts.storable("name", name).strip().toLowerCase(Locale.ROOT);
        if (tag.isEmpty() || tag.length() > MAX_LENGTH) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "validation",
                    "A tag name needs 1 to " + MAX_LENGTH + " characters.");
        }
        return tag;
    }
}
