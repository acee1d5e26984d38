package org.slimj.engine.graph;

import org.slimj.engine.space.Activation;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.tensor.Tensor;

/**
 * One layer of a slimmable model at one configuration, as its forward pass runs it: what it
 * computes, on which earlier outputs, with which active channel counts, and the model's own
 * tensors it reads (allocated at maximum size; the layer uses their leading prefix).
 *
 * @param name dotted layer path ({@code stem.conv}, {@code blocks.3.add}, ...)
 * @param kind what the layer computes
 * @param input index of the layer whose output this one reads, or -1 for the network's input
 * @param residual for {@link OpKind#ADD}: index of the earlier output added to {@code input}'s
 *     (-1 for the network input); otherwise -2
 * @param kernel kernel size (convolutions), else 0
 * @param stride stride (convolutions and shortcuts), else 0
 * @param pad zero padding (convolutions), else 0
 * @param cin active input channels (or features)
 * @param cout active output channels (or features)
 * @param activation applied to the output (after batch norm, or after the sum of an add)
 * @param weight the slimmable weight whose prefix {@code [:cout, :cin]} (depthwise: {@code [:cout]})
 *     the layer uses, or null
 * @param bias the slimmable bias ({@code [:cout]}), or null
 * @param bn the batch norm that follows the convolution (its eval-mode statistics at the
 *     configuration apply), or null
 */
public record TracedLayer(
    String name,
    OpKind kind,
    int input,
    int residual,
    int kernel,
    int stride,
    int pad,
    int cin,
    int cout,
    Activation activation,
    Tensor weight,
    Tensor bias,
    SlimBatchNorm bn) {}
