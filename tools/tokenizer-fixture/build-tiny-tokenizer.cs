#:project ../../src/Rollout/RlTrainer.Rollout.csproj
// Writes the tiny-bpe fixture with our ByteLevelBpeTrainer (generate.mjs then checks it with transformers.js).
// Usage, from this folder: dotnet run build-tiny-tokenizer.cs -- tiny-corpus.txt ../../tests/Rollout.Tests/Fixtures/tokenizers/tiny-bpe
using RlTrainer.Rollout.Tokenization;

var documents = File.ReadAllText(args[0]).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
var model = new ByteLevelBpeTrainer(vocabSize: 512).Train(documents);
model.Save(args[1], modelMaxLength: 1024);
Console.WriteLine($"{args[1]}: {model.VocabSize} ids, {model.Merges.Count} merges");
