using System.CommandLine;
using Microsoft.Extensions.Hosting;
using RlTrainer.Trainer.Serving;

namespace RlTrainer.Trainer.Cli;

/// `rltrainer serve --model DIR [--port P]`: an inference server over the built-in sampler speaking the vLLM
/// completions and SGLang generate dialects (see Serving/InferenceHost), the engine `RolloutEngine:Kind=Remote` can use.
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model("Hugging Face model folder with tokenizer files.");
        var port = new Option<int>("--port") { Description = "TCP port (default 8000).", DefaultValueFactory = _ => 8000 };
        var host = new Option<string>("--host") { Description = "Interface to bind (default 127.0.0.1, loopback only; 0.0.0.0 for all).", DefaultValueFactory = _ => "127.0.0.1" };
        var apiKey = new Option<string?>("--api-key") { Description = "Require 'Authorization: Bearer KEY' (default: the RLTRAINER_API_KEY environment variable, else none)." };
        var name = new Option<string?>("--served-model-name") { Description = "Model id in /v1/models and answers (default: the folder name)." };
        var maxBatch = new Option<int>("--max-batch") { Description = "Rows decoded together at most (default 64).", DefaultValueFactory = _ => 64 };
        var adapter = CommonOptions.Adapter();
        var device = CommonOptions.Device();
        var command = new Command("serve", "Serve the model over HTTP (vLLM /v1/completions and SGLang /generate subsets, weight reload from disk).")
            { model, adapter, port, host, apiKey, name, maxBatch, device };
        command.SetAction(r =>
        {
            var dir = r.GetValue(model)!;
            if (!File.Exists(Path.Combine(dir, "config.json")))
                throw new DirectoryNotFoundException($"--model '{dir}': not a Hugging Face model folder (no config.json).");
            int p = r.GetValue(port);
            if (p is < 0 or > 65535) throw new ArgumentException($"--port {p}: must be in [0, 65535].");
            if (r.GetValue(maxBatch) < 1) throw new ArgumentException($"--max-batch {r.GetValue(maxBatch)}: must be at least 1.");
            var options = new ServeOptions
            {
                ModelDir = dir, AdapterDir = r.GetValue(adapter), Port = p, Host = r.GetValue(host)!, Device = r.GetValue(device)!,
                ApiKey = r.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("RLTRAINER_API_KEY"),
                ServedModelName = r.GetValue(name), MaxBatchRows = r.GetValue(maxBatch),
            };
            using var app = InferenceHost.Build(options);
            app.Start();
            Console.Out.WriteLine($"serving {dir} on {string.Join(", ", app.Urls)}");
            app.WaitForShutdown();
            return 0;
        });
        return command;
    }
}
