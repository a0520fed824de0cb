/**
 * Offline replay: recorded, timestamped series cut into looks and judged look by look with the
 * cumulative data, as a rollout tool would have judged them live. No files here: adapters read
 * recordings and hand them over.
 */
package org.canaryjudge.replay;
