package dev.nosso.knowledge;

import java.util.List;

/** One page of files, newest first; {@code nextCursor} fetches the next page and is null on the last. */
public record FilePage(List<StoredFile> items, String nextCursor) {
}
