package dev.nosso.knowledge;

import java.util.Locale;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns Tika's XHTML into plain Markdown-like text: {@code h1}..{@code h6} become {@code #} headings, which
 * the chunker uses as the heading path; blocks become paragraphs, list items {@code - } lines and table
 * cells {@code |}-separated. It stops the parse once it holds {@code maxChars} characters.
 */
final class MarkdownWriter extends DefaultHandler {

    private final StringBuilder out = new StringBuilder();
    private final int maxChars;
    private boolean truncated;
    private int skipping; // inside <head>, <script> or <style>
    private int preformatted;
    private boolean pendingSpace;

    MarkdownWriter(int maxChars) {
        this.maxChars = maxChars;
    }

    boolean truncated() {
        return truncated;
    }

    String text() {
        return out.toString().replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
        String name = name(localName, qName);
        switch (name) {
            case "head", "script", "style", "title" -> skipping++;
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                block();
                out.append("#".repeat(name.charAt(1) - '0')).append(' ');
            }
            case "li" -> {
                line();
                out.append("- ");
            }
            case "td", "th" -> out.append(" | ");
            case "pre" -> {
                block();
                preformatted++;
            }
            case "br" -> line();
            case "p", "div", "blockquote", "table", "ul", "ol", "section", "article" -> block();
            case "tr" -> line();
            default -> {
            }
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        String name = name(localName, qName);
        switch (name) {
            case "head", "script", "style", "title" -> skipping--;
            case "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "blockquote", "table", "ul", "ol" -> block();
            case "pre" -> {
                preformatted--;
                block();
            }
            default -> {
            }
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        if (skipping > 0) {
            return;
        }
        for (int i = start; i < start + length; i++) {
            char c = ch[i];
            if (preformatted == 0 && Character.isWhitespace(c)) {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace && out.length() > 0 && out.charAt(out.length() - 1) != '\n'
                    && out.charAt(out.length() - 1) != ' ') {
                out.append(' ');
            }
            pendingSpace = false;
            if (c != '\0') {
                out.append(c);
            }
            if (out.length() >= maxChars) {
                truncated = true;
                throw new Full();
            }
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) {
        // layout of the XHTML itself, not of the document
    }

    private void block() {
        pendingSpace = false;
        if (out.length() > 0) {
            out.append("\n\n");
        }
    }

    private void line() {
        pendingSpace = false;
        if (out.length() > 0) {
            out.append('\n');
        }
    }

    private static String name(String localName, String qName) {
        return (localName == null || localName.isEmpty() ? qName : localName).toLowerCase(Locale.ROOT);
    }

    /** Thrown to stop the parse once the text is as long as allowed; what was written so far is kept. */
    static final class Full extends SAXException {
        Full() {
            super("the text limit was reached");
        }
    }
}
