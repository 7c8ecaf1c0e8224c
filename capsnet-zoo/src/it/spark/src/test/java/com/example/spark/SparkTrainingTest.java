package com.example.spark;

import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.data.MnistData;
import io.github.capsnet4j.data.Split;
import io.github.capsnet4j.zoo.CapsNetGraph;
import io.github.capsnet4j.zoo.CapsNetMnist;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The capsule graph (both inputs, both outputs, decoder included) trains with DL4J's SparkComputationGraph on
 * {@code local[2]}: two executor threads each fit a copy of the network on their share of the batches, and the
 * driver averages the parameters (ParameterAveragingTrainingMaster), the arrays travelling with Kryo.
 */
class SparkTrainingTest {

    private static final int DIGITS = 64;
    private static final int BATCH = 8;

    @Test
    void theCapsuleGraphTrainsOnSparkWithParameterAveragingAndKryo() throws IOException {
        SparkConf conf = new SparkConf()
                .setMaster("local[2]")
                .setAppName("capsnet4j-spark-test")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            List<MultiDataSet> batches = digitBatches();
            JavaRDD<MultiDataSet> data = spark.parallelize(batches, 2);

            // a small CapsNet (16 convolution channels, 4x8-D primary capsules) keeps the test under a minute
            ComputationGraph network = CapsNetMnist.builder().convolutionChannels(16).primaryCapsules(4, 8).build().init();
            double before = meanScore(network, batches);

            ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(BATCH)
                    .batchSizePerWorker(BATCH)
                    .averagingFrequency(2)
                    .workerPrefetchNumBatches(0)
                    .exportDirectory(Path.of("target", "spark-export").toUri().toString())   // batches saved for the workers
                    .build();
            SparkComputationGraph sparkNetwork = new SparkComputationGraph(spark, network, master);
            for (int epoch = 0; epoch < 4; epoch++) {
                sparkNetwork.fitMultiDataSet(data);
            }
            ComputationGraph trained = sparkNetwork.getNetwork();
            double after = meanScore(trained, batches);

            System.out.printf("Spark (local[2], parameter averaging, Kryo): mean loss %.4f before, %.4f after 4 epochs%n", before, after);
            assertFalse(trained.params().isNaN().any(), "finite parameters");
            assertTrue(after < 0.9 * before, "the loss falls from " + before + " to " + after);
        }
    }

    /** The first 64 training digits as the graph's batches of 8: features [image, label], labels [label, flat image]. */
    private static List<MultiDataSet> digitBatches() throws IOException {
        IdxDataset digits = MnistData.official(Split.TRAIN).head(DIGITS);
        List<MultiDataSet> batches = new ArrayList<>();
        for (DataSet batch : digits.toDataSet().batchBy(BATCH)) {
            batches.add(CapsNetGraph.trainingBatch(batch, true));
        }
        return batches;
    }

    private static double meanScore(ComputationGraph network, List<MultiDataSet> batches) {
        double sum = 0;
        for (MultiDataSet batch : batches) {
            sum += network.score(batch);
        }
        return sum / batches.size();
    }
}
