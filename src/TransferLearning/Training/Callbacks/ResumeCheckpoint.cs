using TorchSharp;
using TransferLearning.Reporting;

namespace TransferLearning.Training.Callbacks;

/// <summary>
/// Saves what a restart needs after every epoch: model and optimizer state under new file names, then
/// <c>resume.json</c> pointing at them (atomically), then removes older state files. A kill at any moment
/// leaves a consistent state. Must run after <see cref="ModelCheckpoint"/> and <see cref="EarlyStopping"/>.
/// </summary>
public sealed class ResumeCheckpoint(string folder, string specHash, int seed, torch.Generator random, ModelCheckpoint checkpoint, EarlyStopping? earlyStopping) : ITrainingCallback
{
    /// <summary>Index of the phase being run; set by the runner before each phase.</summary>
    public int PhaseIndex { get; set; }

    /// <inheritdoc/>
    public void OnEpochEnd(EpochLog log, TrainingContext context)
    {
        var weights = $"resume-{log.Epoch}.dat";
        var optimizer = $"resume-{log.Epoch}.optim";
        AtomicFile.Write(Path.Combine(folder, weights), temp => context.Model.save(temp));
        AtomicFile.Write(Path.Combine(folder, optimizer), temp => context.Optimizer.save_state_dict(temp));
        Save(context, weights, optimizer, log.PhaseEpoch, PhaseIndex);
    }

    /// <summary>Saves a phase boundary: the next phase starts from the model's current (best) weights with a fresh optimizer.</summary>
    public void SavePhaseBoundary(Models.TransferModel model, TrainingHistory history, int nextPhase)
    {
        var weights = $"resume-phase{nextPhase}.dat";
        AtomicFile.Write(Path.Combine(folder, weights), temp => model.save(temp));
        Write(State(history, nextPhase, 0, weights, null), weights);
    }

    /// <summary>Marks the run finished; called only after every output (reports, exported model) is written, so a kill
    /// before that still leaves a run that --resume completes.</summary>
    public void MarkComplete()
    {
        var path = Path.Combine(folder, ResumeState.FileName);
        (ResumeState.Load(path) with { Complete = true }).Save(path);
    }

    private void Save(TrainingContext context, string weights, string optimizer, int phaseEpochsDone, int phase) =>
        Write(State(context.History, phase, phaseEpochsDone, weights, optimizer), weights, optimizer);

    private ResumeState State(TrainingHistory history, int phase, int phaseEpochsDone, string weights, string? optimizer) => new()
    {
        SpecHash = specHash, Seed = seed, PhaseIndex = phase, PhaseEpochsDone = phaseEpochsDone, Weights = weights, Optimizer = optimizer,
        RandomState = RandomState(), History = history.Epochs.ToList(),
        CheckpointBest = checkpoint.Monitor.Best, CheckpointBestEpoch = checkpoint.Monitor.BestEpoch?.Epoch ?? 0,
        EarlyStoppingBest = earlyStopping?.Monitor.Best ?? 0, EarlyStoppingBestEpoch = earlyStopping?.Monitor.BestEpoch?.Epoch ?? 0,
        EarlyStoppingWait = earlyStopping?.Wait ?? 0,
    };

    private void Write(ResumeState state, params string[] keep)
    {
        state.Save(Path.Combine(folder, ResumeState.FileName));
        foreach (var old in Directory.GetFiles(folder, "resume-*").Where(f => !keep.Contains(Path.GetFileName(f))))
            File.Delete(old);
    }

    private string RandomState()
    {
        using var state = random.get_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }
}
