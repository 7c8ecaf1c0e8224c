package io.github.capsnet4j.layers.impl;

import io.github.capsnet4j.layers.BaseCapsuleLayer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * DL4J's parameter initializer for every {@link BaseCapsuleLayer}: the layer lists its parameters and their
 * shapes ({@link BaseCapsuleLayer#parameterShapes()}), which lie one after the other, each in C order, in the
 * layer's flat parameter vector; this class cuts the views and lets the layer initialise them.
 */
public final class CapsuleLayerParams implements ParamInitializer {

    public static final CapsuleLayerParams INSTANCE = new CapsuleLayerParams();

    private CapsuleLayerParams() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return capsuleLayer(layer).parameterShapes().values().stream().mapToLong(CapsuleLayerParams::length).sum();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return new ArrayList<>(capsuleLayer(layer).parameterShapes().keySet());
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return paramKeys(layer).stream().filter(key -> !isBiasParam(layer, key)).collect(Collectors.toList());
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return paramKeys(layer).stream().filter(key -> isBiasParam(layer, key)).collect(Collectors.toList());
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return capsuleLayer(layer).parameterShapes().containsKey(key) && !isBiasParam(layer, key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return capsuleLayer(layer).isBiasParameter(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        BaseCapsuleLayer layer = capsuleLayer(conf.getLayer());
        Map<String, INDArray> params = views(layer, paramsView);
        params.keySet().forEach(conf::addVariable);                          // DL4J lists the parameters in the conf too
        if (initializeParams) {
            layer.initializeParameters(params);
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(capsuleLayer(conf.getLayer()), gradientView);
    }

    /** Each parameter as a view of the flat vector (of parameters or of gradients). */
    private static Map<String, INDArray> views(BaseCapsuleLayer layer, INDArray flat) {
        INDArray vector = flat.reshape(flat.length());                       // rank 1, still a view
        Map<String, INDArray> views = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, long[]> parameter : layer.parameterShapes().entrySet()) {
            long length = length(parameter.getValue());
            views.put(parameter.getKey(), vector.get(NDArrayIndex.interval(offset, offset + length)).reshape('c', parameter.getValue()));
            offset += length;
        }
        return views;
    }

    private static long length(long[] shape) {
        long length = 1;
        for (long size : shape) {
            length *= size;
        }
        return length;
    }

    private static BaseCapsuleLayer capsuleLayer(Layer layer) {
        return (BaseCapsuleLayer) layer;
    }
}
