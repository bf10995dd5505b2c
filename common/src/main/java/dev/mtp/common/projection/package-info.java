/**
 * What a cache key holds, as pure functions: no I/O, no clock.
 *
 * <ul>
 *   <li>{@link dev.mtp.common.projection.SessionState} is the full latest state of one session as the
 *       events of the sessions and interactions topics built it, with one version per owning topic
 *       (docs/decisions/0001). {@link dev.mtp.common.projection.SessionFold} applies one event to it:
 *       partial updates ({@code session.updated}) are merged here, so the projection of the merged state is
 *       the projection of the full record.</li>
 *   <li>{@link dev.mtp.common.projection.SessionProjection} and {@link dev.mtp.common.projection.InteractionProjection}
 *       turn a state or an interaction event (and the session's latest response) into
 *       the fields its cache strategy asks for, with the absolute expiry of the key.</li>
 * </ul>
 * cache-writer, the ingest fast path and the shadow reconciler all call these, so every writer of a key computes
 * the same value for the same versions (docs/decisions/0002).
 */
package dev.mtp.common.projection;
