package io.github.capsnet4j.train;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.MnistData;
import io.github.capsnet4j.data.Split;
import io.github.capsnet4j.zoo.CapsNetMnist;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Real MNIST digits and a small CapsNet for the training tests: a few epochs take seconds on two cores. */
final class Digits {

    private static IdxDataset train;
    private static IdxDataset validation;
    private static IdxDataset test;

    private Digits() {
    }

    /** The first {@code count} training digits. */
    static synchronized IdxDataset train(int count) {
        load();
        return train.head(count);
    }

    /** The first {@code count} validation digits. */
    static synchronized IdxDataset validation(int count) {
        load();
        return validation.head(count);
    }

    /** The first {@code count} test digits. */
    static synchronized IdxDataset test(int count) {
        load();
        return test.head(count);
    }

    private static void load() {
        if (train != null) {
            return;
        }
        try {
            train = MnistData.official(Split.TRAIN);
            validation = MnistData.official(Split.VALIDATION);
            test = MnistData.official(Split.TEST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The paper's architecture with fewer channels. */
    static ComputationGraph smallCapsNet() {
        return smallCapsNet(3, true);
    }

    static ComputationGraph smallCapsNet(int routingIterations, boolean decoder) {
        return CapsNetMnist.builder().convolutionChannels(32).primaryCapsules(8, 8).routingIterations(routingIterations)
                .decoder(decoder).seed(42).build().init();
    }
}
