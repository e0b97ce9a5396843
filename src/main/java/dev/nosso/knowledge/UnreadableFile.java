package dev.nosso.knowledge;

/** A file that cannot be read (refused by its parser, too slow, or too large once unpacked), with the reason. */
class UnreadableFile extends RuntimeException {

    UnreadableFile(String reason) {
        super(reason);
    }
}
