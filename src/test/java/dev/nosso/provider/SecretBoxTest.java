package dev.nosso.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dataDir;

    @Test
    void aSealedSecretOpensToTheSameTextAndNeverContainsIt() {
        SecretBox box = SecretBox.load(KEY, dataDir);

        String sealed = box.seal("sk-live-12345 ünïcode");

        assertThat(sealed).startsWith("v1:").doesNotContain("sk-live");
        assertThat(box.open(sealed)).isEqualTo("sk-live-12345 ünïcode");
    }

    @Test
    void sealingTheSameSecretTwiceGivesDifferentValues() {
        SecretBox box = SecretBox.load(KEY, dataDir);

        assertThat(box.seal("same")).isNotEqualTo(box.seal("same"));
    }

    @Test
    void aChangedValueDoesNotOpen() {
        SecretBox box = SecretBox.load(KEY, dataDir);
        byte[] bytes = Base64.getDecoder().decode(box.seal("sk-secret").substring(3));

        for (int at : new int[] {0, 12, bytes.length - 1}) { // the nonce, the ciphertext, the tag
            byte[] changed = bytes.clone();
            changed[at] ^= 1;
            String tampered = "v1:" + Base64.getEncoder().encodeToString(changed);
            assertThatThrownBy(() -> box.open(tampered)).isInstanceOf(SecretBox.Unreadable.class)
                    .hasMessageNotContaining("sk-secret");
        }
    }

    @Test
    void aValueSealedUnderAnotherKeyDoesNotOpen() {
        String sealed = SecretBox.load(KEY, dataDir).seal("sk-secret");
        byte[] other = new byte[32];
        other[0] = 1;

        assertThatThrownBy(() -> new SecretBox(other).open(sealed)).isInstanceOf(SecretBox.Unreadable.class)
                .hasMessageContaining("another secret key");
    }

    @Test
    void somethingThatWasNeverSealedDoesNotOpen() {
        SecretBox box = SecretBox.load(KEY, dataDir);

        assertThatThrownBy(() -> box.open("sk-plain")).isInstanceOf(SecretBox.Unreadable.class);
        assertThatThrownBy(() -> box.open("v1:%%%")).isInstanceOf(SecretBox.Unreadable.class);
        assertThatThrownBy(() -> box.open("v1:AAAA")).isInstanceOf(SecretBox.Unreadable.class);
    }

    @Test
    void aConfiguredKeyMustBeThirtyTwoBytesOfBase64AndIsNeverEchoed() {
        String tooShort = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> SecretBox.load(tooShort, dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NOSSO_SECRET_KEY").hasMessageContaining("16 bytes")
                .hasMessageNotContaining(tooShort);
        assertThatThrownBy(() -> SecretBox.load("my password!", dataDir)).hasMessageContaining("not base64")
                .hasMessageNotContaining("my password");
        assertThat(Files.exists(dataDir.resolve(SecretBox.KEY_FILE))).isFalse();
    }

    @Test
    void aUrlSafeBase64KeyIsAccepted() {
        byte[] key = new byte[32];
        key[0] = (byte) 0xfb; // encodes to characters that differ between the two alphabets
        key[1] = (byte) 0xff;
        String urlSafe = Base64.getUrlEncoder().encodeToString(key);

        String sealed = SecretBox.load(urlSafe, dataDir).seal("x");

        assertThat(new SecretBox(key).open(sealed)).isEqualTo("x");
    }

    @Test
    void withoutAConfiguredKeyOneIsGeneratedIntoTheDataFolderAndKeptForTheNextStart() throws IOException {
        Path folder = dataDir.resolve("not-yet-made");
        String sealed = SecretBox.load("", folder).seal("sk-secret");

        Path file = folder.resolve(SecretBox.KEY_FILE);
        assertThat(file).exists();
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        assertThat(SecretBox.load(null, folder).open(sealed)).isEqualTo("sk-secret");
        try (var files = Files.list(folder)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void theGeneratedKeyFileIsReadableByItsOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions only exist on POSIX file systems");

        SecretBox.load("", dataDir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(SecretBox.KEY_FILE))))
                .isEqualTo("rw-------");
    }

    @Test
    void aDamagedKeyFileStopsTheStartInsteadOfMakingANewKey() throws IOException {
        Files.writeString(dataDir.resolve(SecretBox.KEY_FILE), "not a key");

        assertThatThrownBy(() -> SecretBox.load("", dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(SecretBox.KEY_FILE);
        assertThat(Files.readString(dataDir.resolve(SecretBox.KEY_FILE))).isEqualTo("not a key");
    }
}
