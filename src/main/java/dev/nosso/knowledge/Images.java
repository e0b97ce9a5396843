package dev.nosso.knowledge;

import dev.nosso.platform.Problems;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Images for vision models, checked by decoding them and stored as we encode them again: PNG for images with
 * transparency or drawn ones (PNG, GIF, BMP), JPEG for photos (JPEG). Re-encoding drops everything but the
 * pixels (EXIF with its GPS position, ICC profiles, comments, other frames of an animated GIF), and a file that
 * only claims to be an image never reaches a model. ImageIO of the JDK reads PNG, JPEG, GIF and BMP; WebP and
 * others are refused with 415.
 *
 * <p>The pixel count is read from the header before any pixel is decoded, so an image that would unpack to
 * gigabytes (a "decompression bomb") is refused for the price of its header; and at most two images are
 * decoded at once, so uploads at the same moment cannot take the heap together.
 */
@Component
public class Images {

    /** The media types images are stored and sent as. */
    public static final Set<String> STORED_TYPES = Set.of("image/png", "image/jpeg");

    private static final Set<String> READABLE = Set.of("png", "jpeg", "gif", "bmp");
    private static final float JPEG_QUALITY = 0.9f;

    private final ImageSettings settings;
    private final Semaphore decoding = new Semaphore(2);

    public Images(ImageSettings settings) {
        this.settings = settings;
        ImageIO.setUseCache(false); // in memory: no temporary files behind our back
    }

    /** An image as it is stored: its bytes, their media type, and its size in pixels. */
    public record Encoded(byte[] bytes, String mediaType, int width, int height) {
    }

    public ImageSettings settings() {
        return settings;
    }

    /** Whether a media type (from a content sniffer) is an image at all, readable here or not. */
    public static boolean isImage(String mediaType) {
        return mediaType != null && mediaType.toLowerCase(Locale.ROOT).startsWith("image/");
    }

    /**
     * Decodes the image and encodes it again without metadata.
     *
     * @throws ErrorResponseException 400 {@code malformed-image} when it cannot be decoded, 413
     *                                {@code image-too-large} past the byte or pixel limit, 415
     *                                {@code unsupported-image-type} for a format other than PNG, JPEG, GIF, BMP
     */
    public Encoded reencode(byte[] bytes) {
        if (bytes.length > settings.maxBytes()) {
            throw tooLarge("is larger than the limit of " + settings.maxBytes() + " bytes");
        }
        try {
            decoding.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to decode an image", e);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw malformed("is not an image this server can read (PNG, JPEG, GIF or BMP)");
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            if (!READABLE.contains(format)) {
                throw Problems.exception(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-image-type",
                        "Images in " + format + " are not supported; send PNG, JPEG, GIF or BMP.");
            }
            try {
                reader.setInput(in, true, true); // ignoring metadata: it is dropped anyway
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw malformed("has no pixels");
                }
                if (width * height > settings.maxPixels()) {
                    throw tooLarge("has " + width + " × " + height + " pixels, more than the limit of "
                            + settings.maxPixels());
                }
                BufferedImage image = reader.read(0);
                return encode(image, format.equals("jpeg") && !image.getColorModel().hasAlpha());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ErrorResponseException refusal) {
                throw refusal;
            }
            // ImageIO reports a truncated or corrupt file as an IIOException, and some corruptions as runtime
            // exceptions from deep in its decoders: either way the bytes are not an image we can send.
            throw malformed("cannot be decoded (" + reason(e) + ")");
        } finally {
            decoding.release();
        }
    }

    /** Reads at most the byte limit and one more from {@code in}, then re-encodes; see {@link #reencode(byte[])}. */
    public Encoded reencode(InputStream in) {
        try {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxBytes() + 1));
            return reencode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read an image", e);
        }
    }

    private static Encoded encode(BufferedImage image, boolean photo) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (photo) {
            BufferedImage rgb = image;
            if (image.getType() != BufferedImage.TYPE_INT_RGB && image.getType() != BufferedImage.TYPE_3BYTE_BGR
                    && image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
                rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
                rgb.getGraphics().drawImage(image, 0, 0, null);
            }
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (var stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
                writer.write(null, new IIOImage(rgb, null, null), param);
            } finally {
                writer.dispose();
            }
            return new Encoded(out.toByteArray(), "image/jpeg", image.getWidth(), image.getHeight());
        }
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer");
        }
        return new Encoded(out.toByteArray(), "image/png", image.getWidth(), image.getHeight());
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.replaceAll("\\s+", " ").strip();
        return message.length() > 120 ? message.substring(0, 119) + "…" : message;
    }

    private static ErrorResponseException malformed(String why) {
        return Problems.exception(HttpStatus.BAD_REQUEST, "malformed-image", "The image " + why + ".");
    }

    private static ErrorResponseException tooLarge(String why) {
        return Problems.exception(HttpStatus.CONTENT_TOO_LARGE, "image-too-large", "The image " + why + ".");
    }
}
