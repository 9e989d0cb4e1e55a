using Spectre.Console;
using Spectre.Console.Cli;
using TransferLearning.Cli;
using TransferLearning.Cli.Commands;

// Piped output (logs, CI) is not wrapped at Spectre's default 80 columns: an error stays on one line, a table stays a table.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 4096;
var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("tl");
    config.SetApplicationVersion(typeof(TransferLearning.Runtime.TorchRuntime).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
    config.AddCommand<TrainCommand>("train").WithDescription("Train what a JSON spec describes; writes a run folder and an exported model.")
        .WithExample("train", "examples/flowers-mini/spec.json");
    config.AddCommand<ValidateCommand>("validate").WithDescription("Check a spec and its data without training.")
        .WithExample("validate", "examples/flowers-mini/spec.json");
    config.AddCommand<PredictCommand>("predict").WithDescription("Classify an image or a folder of images with an exported model.")
        .WithExample("predict", "examples/flowers-mini/models/resnet18_flowers_mini", "examples/flowers-mini/data/roses", "--format", "json");
    config.AddCommand<EvaluateCommand>("evaluate").WithDescription("Report metrics of an exported model on a labelled folder.")
        .WithExample("evaluate", "examples/flowers-mini/models/resnet18_flowers_mini", "examples/flowers-mini/data");
    config.AddCommand<AugmentPreviewCommand>("augment-preview").WithDescription("Write a PNG grid of training images and augmented draws, to check augmentation by eye.");
    config.AddCommand<ModelsCommand>("models").WithDescription("List the architectures and where their ImageNet weights come from.");
    config.AddCommand<DoctorCommand>("doctor").WithDescription("Check that libtorch loads here and say how (patched or not).");
    config.SetExceptionHandler((exception, _) => CliErrors.Report(exception));
});
return await app.RunAsync(args);
