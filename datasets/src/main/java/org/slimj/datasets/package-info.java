/**
 * Image data sets for slimj: IDX (MNIST / Fashion-MNIST) and CIFAR binary readers, the embedded
 * Fashion-MNIST sample, seeded splits, augmentation, normalization and batching into reusable
 * float buffers.
 *
 * <p>Depends on nothing but the JDK. Images are kept as unsigned bytes ({@link ImageDataset}); the
 * {@link Batcher} turns them into the float arrays a training loop wraps in its own tensor type.
 * Every malformed file is reported by a {@link DatasetException} naming the file and the problem.
 */
package org.slimj.datasets;
