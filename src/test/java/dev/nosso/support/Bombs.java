package dev.nosso.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Decompression bombs: small files that inflate to far more than they weigh, generated on the spot (nothing
 * hostile is kept in the repository). Each inflates a repeated piece of markup, so writing one costs one
 * pass of the deflater over its inflated size.
 */
public final class Bombs {

    private static final int MB = 1024 * 1024;

    private Bombs() {
    }

    /** A DOCX whose {@code word/document.xml} inflates to about {@code inflatedMb} MB of short paragraphs. */
    public static Path docx(Path dir, int inflatedMb) {
        return zip(dir.resolve("bomb.docx"), zip -> {
            put(zip, "[Content_Types].xml", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                    <Default Extension="xml" ContentType="application/xml"/>
                    <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
                    </Types>""");
            put(zip, "_rels/.rels", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
                    </Relationships>""");
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            write(zip, """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>""");
            repeat(zip, inflatedMb, i -> "<w:p><w:r><w:t>" + word(i) + "</w:t></w:r></w:p>");
            write(zip, "</w:body></w:document>");
            zip.closeEntry();
        });
    }

    /**
     * A DOCX whose {@code [Content_Types].xml}, the part a reader opens first to learn what the package is,
     * inflates to about {@code inflatedMb} MB: it goes off while the upload's type is checked.
     */
    public static Path manifestDocx(Path dir, int inflatedMb) {
        return zip(dir.resolve("manifest-bomb.docx"), zip -> {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            write(zip, """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">""");
            repeat(zip, inflatedMb, i -> "<Default Extension=\"x" + word(i) + "\" ContentType=\"application/xml\"/>");
            write(zip, """
                    <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
                    </Types>""");
            zip.closeEntry();
            put(zip, "word/document.xml", """
                    <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>""");
        });
    }

    /** An XLSX whose shared strings inflate to about {@code inflatedMb} MB, one short string each. */
    public static Path xlsx(Path dir, int inflatedMb) {
        return zip(dir.resolve("bomb.xlsx"), zip -> {
            put(zip, "[Content_Types].xml", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                    <Default Extension="xml" ContentType="application/xml"/>
                    <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
                    <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
                    <Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
                    </Types>""");
            put(zip, "_rels/.rels", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
                    </Relationships>""");
            put(zip, "xl/workbook.xml", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
                    <sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            put(zip, "xl/_rels/workbook.xml.rels", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
                    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
                    </Relationships>""");
            put(zip, "xl/worksheets/sheet1.xml", """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                    <row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>""");
            zip.putNextEntry(new ZipEntry("xl/sharedStrings.xml"));
            write(zip, """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">""");
            repeat(zip, inflatedMb, i -> "<si><t>" + word(i) + "</t></si>");
            write(zip, "</sst>");
            zip.closeEntry();
        });
    }

    /**
     * A one-page PDF whose content stream inflates to about {@code inflatedMb} MB: one text-showing operator
     * whose operand is a single array of that size, which a reader holds whole before it can act on it.
     */
    public static Path pdf(Path dir, int inflatedMb) {
        Path file = dir.resolve("bomb.pdf");
        try {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            try (DeflaterOutputStream deflated = new DeflaterOutputStream(content, new Deflater(Deflater.BEST_SPEED),
                    64 * 1024)) {
                write(deflated, "BT /F1 12 Tf [");
                repeat(deflated, inflatedMb, i -> "(ab) 1 ");
                write(deflated, "] TJ ET\n");
            }
            PdfWriter pdf = new PdfWriter();
            pdf.object("<< /Type /Catalog /Pages 2 0 R >>");
            pdf.object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
            pdf.object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                    + "/Resources << /Font << /F1 5 0 R >> >> >>");
            pdf.stream("<< /Length " + content.size() + " /Filter /FlateDecode >>", content.toByteArray());
            pdf.object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
            Files.write(file, pdf.finish());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A zip of {@code width} zips of {@code width} zips, each innermost one holding a text file that inflates
     * to {@code leafMb} MB: the classic nested bomb, which only a parser that follows the nesting sets off.
     */
    public static Path nestedZip(Path dir, int width, int leafMb) {
        try {
            byte[] leaf = zipBytes(zip -> {
                zip.putNextEntry(new ZipEntry("leaf.txt"));
                repeat(zip, leafMb, i -> "0000000000000000");
                zip.closeEntry();
            });
            byte[] middle = zipBytes(zip -> {
                for (int i = 0; i < width; i++) {
                    zip.putNextEntry(new ZipEntry("leaf-" + i + ".zip"));
                    zip.write(leaf);
                    zip.closeEntry();
                }
            });
            return zip(dir.resolve("nested-bomb.zip"), zip -> {
                for (int i = 0; i < width; i++) {
                    zip.putNextEntry(new ZipEntry("middle-" + i + ".zip"));
                    zip.write(middle);
                    zip.closeEntry();
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface ZipBody {
        void write(ZipOutputStream zip) throws IOException;
    }

    private static Path zip(Path file, ZipBody body) {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.setLevel(Deflater.BEST_SPEED);
            body.write(zip);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] zipBytes(ZipBody body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(Deflater.BEST_SPEED);
            body.write(zip);
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        write(zip, text);
        zip.closeEntry();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private interface Piece {
        String at(int i);
    }

    /** Writes pieces until about {@code mb} MB are out, a block of them at a time. */
    private static void repeat(OutputStream out, int mb, Piece piece) throws IOException {
        long goal = (long) mb * MB;
        long written = 0;
        int i = 0;
        StringBuilder block = new StringBuilder(64 * 1024 + 64);
        while (written < goal) {
            block.setLength(0);
            while (block.length() < 64 * 1024) {
                block.append(piece.at(i++));
            }
            byte[] bytes = block.toString().getBytes(StandardCharsets.UTF_8);
            out.write(bytes);
            written += bytes.length;
        }
    }

    /** A word that changes with {@code i} but repeats every 512, so that it compresses well. */
    private static String word(int i) {
        int n = i & 0x1FF;
        return "w" + Integer.toString(n * 7919 % 512, 36) + Integer.toString(n, 36);
    }

    /** The few bytes of PDF structure a reader needs: numbered objects, a cross-reference table, a trailer. */
    private static final class PdfWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<Integer> offsets = new ArrayList<>();

        PdfWriter() throws IOException {
            write(out, "%PDF-1.7\n");
        }

        void object(String dictionary) throws IOException {
            offsets.add(out.size());
            write(out, offsets.size() + " 0 obj\n" + dictionary + "\nendobj\n");
        }

        void stream(String dictionary, byte[] data) throws IOException {
            offsets.add(out.size());
            write(out, offsets.size() + " 0 obj\n" + dictionary + "\nstream\n");
            out.write(data);
            write(out, "\nendstream\nendobj\n");
        }

        byte[] finish() throws IOException {
            int xref = out.size();
            StringBuilder table = new StringBuilder("xref\n0 " + (offsets.size() + 1) + "\n0000000000 65535 f \n");
            for (int offset : offsets) {
                table.append(String.format("%010d 00000 n \n", offset));
            }
            table.append("trailer\n<< /Size ").append(offsets.size() + 1).append(" /Root 1 0 R >>\nstartxref\n")
                    .append(xref).append("\n%%EOF\n");
            write(out, table.toString());
            return out.toByteArray();
        }
    }
}
