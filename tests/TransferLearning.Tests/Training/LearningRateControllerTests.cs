using TransferLearning.Spec;
using TransferLearning.Training;
using TransferLearning.Training.Schedules;

namespace TransferLearning.Tests.Training;

public sealed class LearningRateControllerTests
{
    private static EpochLog Epoch(double valLoss) => new("p", 1, 1, new Dictionary<string, double> { ["val_loss"] = valLoss }, 1, 1);

    [Fact]
    public void Constant_is_the_phase_rate()
    {
        var c = new LearningRateController(new LearningRateScheduleSpec(), 0.01, 5, 10);
        Assert.Equal(0.01, c.RateAt(0));
        Assert.Equal(0.01, c.RateAt(49));
    }

    [Fact]
    public void Cosine_warms_up_linearly_then_decays_to_the_minimum()
    {
        var c = new LearningRateController(new LearningRateScheduleSpec { Kind = ScheduleKind.Cosine, WarmupEpochs = 1, MinLearningRate = 0.001 }, 0.1, 5, 10);
        Assert.Equal(0.01, c.RateAt(0), 9);            // step 1 of 10 warm-up steps
        Assert.Equal(0.1, c.RateAt(9), 9);             // end of warm-up
        Assert.Equal(0.1, c.RateAt(10), 9);            // cosine starts at the base rate
        Assert.Equal(0.0505, c.RateAt(30), 9);         // half way through the decay
        Assert.Equal(0.001, c.RateAt(50), 9);          // the end
        Assert.True(c.RateAt(20) > c.RateAt(21));
    }

    [Fact]
    public void Step_multiplies_by_gamma_every_step_epochs()
    {
        var c = new LearningRateController(new LearningRateScheduleSpec { Kind = ScheduleKind.Step, StepEpochs = 2, Gamma = 0.5 }, 0.1, 6, 4);
        Assert.Equal(0.1, c.RateAt(7));
        Assert.Equal(0.05, c.RateAt(8));
        Assert.Equal(0.025, c.RateAt(16));
    }

    [Fact]
    public void Reduce_on_plateau_cuts_after_patience_epochs_without_improvement()
    {
        var c = new LearningRateController(new LearningRateScheduleSpec { Kind = ScheduleKind.ReduceOnPlateau, Patience = 2, Gamma = 0.5, MinLearningRate = 0.02 }, 0.1, 10, 1);
        c.EndEpoch(Epoch(1.0));
        c.EndEpoch(Epoch(0.9));
        c.EndEpoch(Epoch(0.95));
        Assert.Equal(0.1, c.RateAt(0));
        c.EndEpoch(Epoch(0.97));
        Assert.Equal(0.05, c.RateAt(0));
        c.EndEpoch(Epoch(0.99));
        c.EndEpoch(Epoch(0.99));
        c.EndEpoch(Epoch(0.99));
        c.EndEpoch(Epoch(0.99));
        Assert.Equal(0.02, c.RateAt(0)); // floored at min_lr
    }

    [Fact]
    public void The_spec_reads_schedules_as_a_name_or_an_object()
    {
        var byName = SpecLoader.Parse("""{"dataset": {"path": "d"}, "training": {"lr_schedule": "cosine"}}""", "/");
        Assert.Equal(ScheduleKind.Cosine, byName.Training.LearningRateSchedule.Kind);
        var full = SpecLoader.Parse("""{"dataset": {"path": "d", "validation_split": 0.2}, "training": {"lr_schedule": {"type": "reduce_on_plateau", "factor": 0.2, "patience": 3}, "global_clipnorm": 1.0}}""", "/");
        Assert.Equal(new LearningRateScheduleSpec { Kind = ScheduleKind.ReduceOnPlateau, Gamma = 0.2, Patience = 3 }, full.Training.LearningRateSchedule);
        Assert.Equal(1.0, full.Training.GlobalClipNorm);
        var error = Assert.Throws<SpecException>(() => SpecLoader.Parse("""{"dataset": {"path": "d"}, "training": {"lr_schedule": {"type": "cosin"}}}""", "/"));
        Assert.Contains("did you mean \"cosine\"", error.Message);
    }
}
