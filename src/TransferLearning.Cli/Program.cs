using Spectre.Console.Cli;
using TransferLearning.Cli;
using TransferLearning.Cli.Commands;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("tl");
    config.SetApplicationVersion(typeof(TransferLearning.Runtime.TorchRuntime).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
    config.AddCommand<TrainCommand>("train").WithDescription("Train what a JSON spec describes; writes a run folder and an exported model.")
        .WithExample("train", "examples/flowers-mini/spec.json");
    config.AddCommand<ValidateCommand>("validate").WithDescription("Check a spec and its data without training.")
        .WithExample("validate", "examples/flowers-mini/spec.json");
    config.AddCommand<ModelsCommand>("models").WithDescription("List the architectures and where their ImageNet weights come from.");
    config.AddCommand<DoctorCommand>("doctor").WithDescription("Check that libtorch loads here and say how (patched or not).");
    config.SetExceptionHandler((exception, _) => CliErrors.Report(exception));
});
return await app.RunAsync(args);
