package dev.nosso.support;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Small real images, drawn and encoded by ImageIO, for the tests of images sent to vision models. */
public final class TestImages {

    private TestImages() {
    }

    /** A PNG of the given size, red on its left half and blue on its right. */
    public static byte[] png(int width, int height) {
        return encode(drawn(width, height, BufferedImage.TYPE_INT_ARGB), "png");
    }

    /** A JPEG of the given size. */
    public static byte[] jpeg(int width, int height) {
        return encode(drawn(width, height, BufferedImage.TYPE_INT_RGB), "jpeg");
    }

    private static BufferedImage drawn(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        var g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, Math.max(1, width / 2), height);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) {
        var out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
