package dev.mtp.cachestore;

import dev.mtp.runtime.startup.ClientRefusals;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;

import java.util.Locale;
import java.util.Optional;

/** What Lettuce's exceptions say about Redis: an ACL user's wrong password or missing permission. */
public final class RedisRefusals implements ClientRefusals {

    @Override
    public Optional<String> server(Throwable t) {
        return t instanceof RedisException ? Optional.of("redis") : Optional.empty();
    }

    @Override
    public Optional<String> reason(Throwable t) {
        if (!(t instanceof RedisCommandExecutionException)) {
            return Optional.empty();
        }
        String code = errorCode(t);
        if (code.matches("WRONGPASS|NOAUTH")) {
            return Optional.of("redis refused the connection: authentication failed (" + t.getMessage() + ")");
        }
        if (code.equals("NOPERM")) {
            return Optional.of("redis refused the request: not authorized (" + t.getMessage() + ")");
        }
        return Optional.empty();
    }

    /** The error code Redis puts first in an error reply: WRONGPASS, NOAUTH, NOPERM... */
    private static String errorCode(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().strip();
        int space = m.indexOf(' ');
        return (space < 0 ? m : m.substring(0, space)).toUpperCase(Locale.ROOT);
    }
}
