/**
 * Every timing the fleet's safety rests on, in one place (docs/safety.md, "Timing" and
 * "Heartbeat arithmetic"); safety-timing.test.ts checks how they must relate.
 */

/**
 * The station's heartbeat period. A tractor stops by itself after STATION_SILENCE_STOP_MS
 * without it, i.e. after 15 heartbeats in a row are lost: at 10% iid frame loss that is 1e-15
 * per heartbeat, about 3e-9 false stops per hour for 20 tractors, for 2% of a 250 kbit/s bus.
 */
export const STATION_HEARTBEAT_MS = 25;
/** A tractor's heartbeat period when its telemetry does not flow (docs/fleet-protocol.md §4.1). */
export const TRACTOR_HEARTBEAT_MS = 100;
/** A tractor's telemetry period (10 Hz): its frames also count as signs of life. */
export const TELEMETRY_PERIOD_MS = 100;
/**
 * A moving machine that has not heard the station's heartbeat for this long stops by itself,
 * at most this long after the last heartbeat it heard.
 */
export const STATION_SILENCE_STOP_MS = 400;
/** Silence after which the link to a tractor is shown degraded. */
export const LINK_DEGRADED_MS = 400;
/**
 * Silence after which a tractor is shown COMM LOST: shown at most 450 ms after its last frame
 * (the station looks every SAFETY_TICK_MS). Silence counts every valid frame the link hears
 * from it (telemetry A and B at 10 Hz, heartbeats), so a false COMM LOST needs 8 frames in a
 * row lost.
 */
export const COMM_LOST_MS = 425;
/** How often the station looks at silences and stop repeats. */
export const SAFETY_TICK_MS = 25;
/** Repeat interval of a stop while confirmations are outstanding (a lost frame costs this). */
export const ESTOP_REPEAT_MS = 50;
/**
 * A machine that has not confirmed for this long is out of reach (it stops on its own when it
 * hears no heartbeat): its stop is repeated at the slower rate below from then on, so that many
 * stops waiting on a silent machine can never fill the bus and crowd out the heartbeat.
 */
export const ESTOP_FAST_REPEAT_FOR_MS = 2_000;
export const ESTOP_SLOW_REPEAT_MS = 250;
/** Repeat interval of a stop every machine has confirmed (a late joiner still hears it). */
export const ESTOP_KEEPALIVE_MS = 1_000;
/**
 * The safety core holds the fleet when the station's main thread has not answered for this long
 * (a thread stuck in a loop, or starved): its machines must not work on a job nobody supervises.
 */
export const MAIN_THREAD_SILENCE_MS = 1_000;
