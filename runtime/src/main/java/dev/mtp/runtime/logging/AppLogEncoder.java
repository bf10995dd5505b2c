package dev.mtp.runtime.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * The encoder of every app's console appender: {@link CompactJsonEncoder} by default, the readable
 * {@link #setPattern pattern} when {@code LOG_FORMAT=text}. One appender with a switching encoder, rather than two
 * appenders, so logback never warns about an unused one.
 */
public class AppLogEncoder extends EncoderBase<ILoggingEvent> {

    private String pattern = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg %kvp{DOUBLE}%n";
    private Encoder<ILoggingEvent> delegate;

    /** The text-mode pattern. */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        if (LogFormat.current() == LogFormat.TEXT) {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            delegate = text;
        } else {
            delegate = new CompactJsonEncoder();
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
