package org.slimj.serve;

import org.slimj.engine.infer.Prediction;

/**
 * What the serving loop returns for one request.
 *
 * @param prediction the batch's prediction
 * @param index this request's image in the batch
 * @param point the front point that served it
 * @param batch the batch size
 * @param arrivalNanos when it was queued
 * @param startNanos when its batch started
 * @param doneNanos when its batch finished
 */
public record Answer(Prediction prediction, int index, int point, int batch, long arrivalNanos, long startNanos,
    long doneNanos) {}
