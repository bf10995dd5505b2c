package dev.mtp.chaos.check;

/**
 * One Redis key as read: its value and its absolute expiry ({@code PEXPIRETIME}: epoch ms, -1 none).
 */
public record CacheEntry(String key, byte[] value, long expireAtMillis) {
}
