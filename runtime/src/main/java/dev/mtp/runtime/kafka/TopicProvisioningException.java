package dev.mtp.runtime.kafka;

import dev.mtp.runtime.startup.StartupException;

/** The topics the app needs cannot be made usable: missing, wrong partition count, or not ready in time. */
public class TopicProvisioningException extends StartupException {
    private static final long serialVersionUID = 1L;

    public TopicProvisioningException(String reason) {
        super(reason);
    }

    public TopicProvisioningException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
