namespace TransferLearning.Spec;

// The closed vocabularies of the spec. JSON spellings live in SpecVocabulary; nothing deeper switches on strings.

/// <summary><c>model.trainable_strategy</c>.</summary>
public enum TrainableStrategy
{
    /// <summary>Backbone frozen, only the head trains.</summary>
    FeatureExtraction,
    /// <summary>Head first with the backbone frozen, then the last N backbone layers too at a lower rate.</summary>
    FreezeThenFinetune,
    /// <summary>Every layer trains from the start.</summary>
    FullFinetune,
}

/// <summary><c>training.optimizer</c>.</summary>
public enum OptimizerKind { Adam, AdamW, Sgd, RmsProp }

/// <summary><c>dataset.class_mode</c> (Keras <c>label_mode</c>): how labels are encoded; both train a softmax head.</summary>
public enum ClassMode { Categorical, Int }

/// <summary><c>augmentation.fill_mode</c>, as Keras' ImageDataGenerator.</summary>
public enum FillMode { Nearest, Reflect, Constant, Wrap }

/// <summary><c>head.activation</c> of the hidden Dense layers.</summary>
public enum HeadActivation { Relu, Gelu, Swish, Tanh, Sigmoid, Elu, Selu, Linear }

/// <summary><c>model.batchnorm</c>: whether BatchNorm layers update their statistics when trainable.</summary>
public enum BatchNormMode
{
    /// <summary>Always inference mode (Keras' recommended <c>training=False</c> for fine-tuning).</summary>
    Frozen,
    /// <summary>Batch statistics while training, as a plain <c>model.train()</c>.</summary>
    Train,
}

/// <summary><c>device</c>.</summary>
public enum DeviceKind { Auto, Cpu, Cuda }

/// <summary>Whether a monitored metric improves by going down or up (Keras' <c>mode</c>).</summary>
public enum MonitorMode { Auto, Min, Max }
