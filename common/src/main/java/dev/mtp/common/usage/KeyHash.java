package dev.mtp.common.usage;

/** A 64-bit hash of a key (FNV-1a over its chars, then MurmurHash3's finalizer to spread the low bits). */
public final class KeyHash {
    private KeyHash() {}

    public static long of(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
