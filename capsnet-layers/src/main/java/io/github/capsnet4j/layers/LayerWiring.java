package io.github.capsnet4j.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/** What every layer configuration's {@code instantiate} does with a new computation (DL4J's own pattern). */
final class LayerWiring {

    private LayerWiring() {
    }

    /** Connects {@code layer} to its listeners, index, configuration and parameters (views of {@code paramsView}). */
    static Layer wire(Layer layer, NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                      INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(conf.getLayer().initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
