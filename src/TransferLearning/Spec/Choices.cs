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
public enum OptimizerKind
{
    /// <summary>Adam (Keras epsilon 1e-7).</summary>
    Adam,
    /// <summary>Adam with decoupled weight decay (Keras default decay 0.004).</summary>
    AdamW,
    /// <summary>Stochastic gradient descent, optional momentum and Nesterov.</summary>
    Sgd,
    /// <summary>RMSprop (Keras rho 0.9, epsilon 1e-7).</summary>
    RmsProp,
}

/// <summary><c>dataset.class_mode</c> (Keras <c>label_mode</c>): how labels are encoded; both train a softmax head.</summary>
public enum ClassMode
{
    /// <summary>One-hot labels (Keras "categorical").</summary>
    Categorical,
    /// <summary>Integer labels (Keras "int", also "sparse").</summary>
    Int,
}

/// <summary><c>augmentation.fill_mode</c>, as Keras' ImageDataGenerator.</summary>
public enum FillMode
{
    /// <summary>Repeat the edge pixel (Keras default).</summary>
    Nearest,
    /// <summary>Mirror the image at its edge.</summary>
    Reflect,
    /// <summary>Fill with <c>cval</c>.</summary>
    Constant,
    /// <summary>Tile the image.</summary>
    Wrap,
}

/// <summary><c>head.activation</c> of the hidden Dense layers.</summary>
public enum HeadActivation
{
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>Gaussian error linear unit (exact, erf).</summary>
    Gelu,
    /// <summary>x * sigmoid(x) (also "silu").</summary>
    Swish,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
    /// <summary>Exponential linear unit.</summary>
    Elu,
    /// <summary>Scaled exponential linear unit.</summary>
    Selu,
    /// <summary>No activation.</summary>
    Linear,
}

/// <summary><c>model.batchnorm</c>: whether BatchNorm layers update their statistics when trainable.</summary>
public enum BatchNormMode
{
    /// <summary>Always inference mode (Keras' recommended <c>training=False</c> for fine-tuning).</summary>
    Frozen,
    /// <summary>Batch statistics while training, as a plain <c>model.train()</c>.</summary>
    Train,
}

/// <summary><c>device</c>.</summary>
public enum DeviceKind
{
    /// <summary>CUDA when available, else CPU.</summary>
    Auto,
    /// <summary>The CPU.</summary>
    Cpu,
    /// <summary>An NVIDIA GPU (needs a CUDA build of libtorch).</summary>
    Cuda,
}

/// <summary><c>training.mixed_precision</c>: the precision frozen layers run in.</summary>
public enum PrecisionMode
{
    /// <summary>bfloat16 where the CPU computes it natively (AVX-512 BF16 or AMX), else float32.</summary>
    Auto,
    /// <summary>Always float32.</summary>
    Float32,
    /// <summary>Always bfloat16 (slow on CPUs without native support).</summary>
    BFloat16,
}

/// <summary>Whether a monitored metric improves by going down or up (Keras' <c>mode</c>).</summary>
public enum MonitorMode
{
    /// <summary>Maximise names with accuracy, precision, recall, f1 or auc; minimise the rest.</summary>
    Auto,
    /// <summary>Lower is better.</summary>
    Min,
    /// <summary>Higher is better.</summary>
    Max,
}
