package dev.nosso.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nosso.provider.SseLineParser.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseLineParserTest {

    private final List<Event> events = new ArrayList<>();
    private final SseLineParser parser = new SseLineParser(events::add);

    @Test
    void aBlankLineDispatchesTheDataBeforeIt() {
        feed("data: {\"a\":1}", "", "data: [DONE]", "");

        assertThat(events).containsExactly(new Event("message", "{\"a\":1}"), new Event("message", "[DONE]"));
    }

    @Test
    void commentsAndOtherFieldsAreIgnored() {
        feed(": OPENROUTER PROCESSING", "", "id: 7", "retry: 1000", "data: x", "");

        assertThat(events).containsExactly(new Event("message", "x"));
    }

    @Test
    void dataLinesOfOneEventAreJoinedByNewlines() {
        feed("data: first", "data: second", "");

        assertThat(events).containsExactly(new Event("message", "first\nsecond"));
    }

    @Test
    void onlyOneSpaceAfterTheColonIsDropped() {
        feed("data:x", "", "data:  y", "", "data", "");

        assertThat(events).extracting(Event::data).containsExactly("x", " y", "");
    }

    @Test
    void anEventNameAppliesToItsOwnEventOnly() {
        feed("event: error", "data: {\"message\":\"boom\"}", "", "data: next", "");

        assertThat(events).containsExactly(new Event("error", "{\"message\":\"boom\"}"), new Event("message", "next"));
    }

    @Test
    void anEventCutOffByTheEndOfTheStreamIsNeverDispatched() {
        feed("data: [DONE]");

        assertThat(events).isEmpty();
    }

    @Test
    void aByteOrderMarkAtTheStartIsSkipped() {
        feed("\uFEFFdata: x", "");

        assertThat(events).containsExactly(new Event("message", "x"));
    }

    private void feed(String... lines) {
        for (String line : lines) {
            parser.line(line);
        }
    }
}
