package dev.mtp.mongowriter.write;

import dev.mtp.documents.UserMapCodec;

import java.util.Date;

/**
 * What every strategy needs for one batch: the user-map codec and the batch's write time (from the injected
 * clock), stored as {@code writtenAt}.
 */
public record WriteContext(UserMapCodec codec, Date writtenAt) {
}
