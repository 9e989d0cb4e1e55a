namespace TransferLearning.Training;

/// <summary>
/// One stretch of training with a fixed set of trainable layers: "feature_extraction" (backbone frozen)
/// or "fine_tune" (the last <see cref="TrainableBackboneLayers"/> backbone layers train too).
/// </summary>
/// <param name="Name">"feature_extraction" or "fine_tune".</param>
/// <param name="Epochs">Epochs to run at most.</param>
/// <param name="LearningRate">The optimizer's learning rate.</param>
/// <param name="TrainableBackboneLayers">How many of the backbone's last layers train (0: frozen).</param>
public sealed record TrainingPhase(string Name, int Epochs, double LearningRate, int TrainableBackboneLayers);
