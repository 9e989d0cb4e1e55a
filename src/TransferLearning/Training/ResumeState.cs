using System.Text.Json;
using System.Text.Json.Serialization;
using TransferLearning.Reporting;

namespace TransferLearning.Training;

/// <summary>
/// What <c>tl train --resume</c> needs to continue a run where it stopped: which phase and epoch, the files with the
/// model and optimizer state at that point, the torch random state, the history and the callbacks' bests.
/// Saved as <c>checkpoints/resume.json</c> after every epoch; the weight files it names are written first, so a crash
/// at any moment leaves a state that points at complete files.
/// </summary>
public sealed record ResumeState
{
    /// <summary>The file name inside the run's checkpoints folder.</summary>
    public const string FileName = "resume.json";

    /// <summary>SHA-256 of the spec the run started with; resuming with another spec is refused.</summary>
    public required string SpecHash { get; init; }

    /// <summary>The run's seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Index of the phase in progress (or next to start).</summary>
    public required int PhaseIndex { get; init; }

    /// <summary>Epochs of that phase already done.</summary>
    public required int PhaseEpochsDone { get; init; }

    /// <summary>True once the whole run finished.</summary>
    public bool Complete { get; init; }

    /// <summary>Model weights file (in the checkpoints folder).</summary>
    public required string Weights { get; init; }

    /// <summary>Optimizer state file, or null at a phase boundary.</summary>
    public string? Optimizer { get; init; }

    /// <summary>Torch's random generator state, base64.</summary>
    public required string RandomState { get; init; }

    /// <summary>Every epoch so far.</summary>
    public required IReadOnlyList<EpochLog> History { get; init; }

    /// <summary>The checkpoint's best value and the epoch it came from (1-based, 0 for none).</summary>
    public required double CheckpointBest { get; init; }

    /// <summary>Epoch of <see cref="CheckpointBest"/> (0: none yet).</summary>
    public required int CheckpointBestEpoch { get; init; }

    /// <summary>Early stopping's best in the current phase.</summary>
    public double EarlyStoppingBest { get; init; }

    /// <summary>Epoch of <see cref="EarlyStoppingBest"/> (0: none).</summary>
    public int EarlyStoppingBestEpoch { get; init; }

    /// <summary>Early stopping's epochs without improvement.</summary>
    public int EarlyStoppingWait { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Writes the state atomically.</summary>
    public void Save(string path) => AtomicFile.WriteText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads a saved state.</summary>
    /// <exception cref="IOException">There is none, or it cannot be read; the message says what to do.</exception>
    public static ResumeState Load(string path)
    {
        if (!File.Exists(path)) throw new IOException($"{path} does not exist: this run folder has no resumable state (was it made by tl train?).");
        try
        {
            return JsonSerializer.Deserialize<ResumeState>(File.ReadAllText(path), Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new IOException($"{path} is damaged ({e.Message}); start a new run instead of resuming.", e);
        }
    }
}
