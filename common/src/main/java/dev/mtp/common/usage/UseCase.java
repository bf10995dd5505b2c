package dev.mtp.common.usage;

/**
 * The questions of the seed's "Strategy Selection Decision Tree", as a caller describes its data.
 * {@code dataSize} is asked only at high frequency, {@code contextNeeded} only at medium frequency, and
 * {@code realTimeRequired} only for large data at high frequency; the tree says which one is missing.
 */
public record UseCase(AccessFrequency accessFrequency, DataSize dataSize, Boolean contextNeeded, Boolean realTimeRequired) {

    public enum AccessFrequency { HIGH, MEDIUM, LOW }

    public enum DataSize { SMALL, MEDIUM, LARGE }
}
