using System.Text.Json;
using Microsoft.Extensions.Configuration;
using RlTrainer.Trainer.Errors;

namespace RlTrainer.Trainer.Hosting;

/// <summary>Adds a JSON configuration file (comments and trailing commas allowed) whose faults are bad input.</summary>
public static class JsonConfigFile
{
    /// <summary>
    /// Adds and loads <paramref name="path"/>. A missing or unreadable file, invalid JSON (with its line and column)
    /// or a key given twice throws <see cref="BadInputException"/> naming <paramref name="option"/> and the file.
    /// </summary>
    public static ConfigurationManager AddJsonConfigFile(this ConfigurationManager configuration, string path, string option)
    {
        if (!File.Exists(path)) throw new BadInputException($"{option} {path}: file not found.");
        try
        {
            // The manager loads each source as it is added, so the faults of this file surface here.
            configuration.AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false);
            return configuration;
        }
        catch (InvalidDataException e) when (e.InnerException?.InnerException is JsonException json)
        {
            // Line and byte position are 0-based; columns count bytes, which is characters for ASCII text.
            throw new BadInputException(
                $"{path}: invalid JSON at line {json.LineNumber + 1}, column {json.BytePositionInLine + 1}: {Reason(json)}", e);
        }
        catch (InvalidDataException e) when (e.InnerException is FormatException format)
        {
            throw new BadInputException($"{path}: {format.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{option} {path}: cannot be read ({e.Message})", e);
        }
    }

    /// The parser's sentence without the position it appends ("... LineNumber: 4 | BytePositionInLine: 11.").
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            int at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0) message = message[..at];
        }
        return message.Trim();
    }
}
