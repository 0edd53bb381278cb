using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Safetensors;

/// <summary>
/// Reader for one .safetensors file: 8-byte little-endian header length N, N bytes of JSON
/// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}), then the raw little-endian buffer.
/// The header is validated on open, so a truncated or malformed file fails before any tensor is read.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    /// One entry of the header. Offsets are relative to the start of the data buffer.
    public sealed record Entry(string Name, string DType, long[] Shape, long Begin, long End);

    private readonly FileStream _stream;
    private readonly long _dataStart;

    public string Path { get; }
    public IReadOnlyDictionary<string, Entry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    private SafetensorsFile(string path, FileStream stream, long dataStart,
        Dictionary<string, Entry> entries, Dictionary<string, string> metadata)
    {
        Path = path; _stream = stream; _dataStart = dataStart; Entries = entries; Metadata = metadata;
    }

    public static SafetensorsFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return Parse(path, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static SafetensorsFile Parse(string path, FileStream stream)
    {
        var lengthBytes = new byte[8];
        if (stream.Length < 8 || stream.Read(lengthBytes, 0, 8) != 8)
            throw new InvalidDataException($"{path}: not a safetensors file (shorter than the 8-byte header length).");
        var headerLength = BitConverter.ToUInt64(lengthBytes, 0);
        if (headerLength > (ulong)(stream.Length - 8) || headerLength > 100_000_000)
            throw new InvalidDataException($"{path}: header length {headerLength} exceeds the file size {stream.Length}.");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLength, dataLength = stream.Length - dataStart;

        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: header is not valid JSON ({e.Message})."); }

        var entries = new Dictionary<string, Entry>();
        var metadata = new Dictionary<string, string>();
        using (doc)
        {
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    foreach (var m in prop.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                entries[prop.Name] = ParseEntry(path, prop, dataLength);
            }
        }
        return new SafetensorsFile(path, stream, dataStart, entries, metadata);
    }

    private static Entry ParseEntry(string path, JsonProperty prop, long dataLength)
    {
        var v = prop.Value;
        string dtype = v.GetProperty("dtype").GetString() ?? "";
        var shape = v.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var offsets = v.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
            throw new InvalidDataException($"{path}: tensor '{prop.Name}' has data_offsets [{string.Join(", ", offsets)}] outside the {dataLength}-byte buffer.");
        int size = SafetensorsDType.ElementSize(dtype);
        if (size == 0)
            throw new InvalidDataException($"{path}: tensor '{prop.Name}' has unsupported dtype '{dtype}'.");
        long expected = shape.Aggregate(1L, (a, b) => a * b) * size;
        if (offsets[1] - offsets[0] != expected)
            throw new InvalidDataException($"{path}: tensor '{prop.Name}' ({dtype} [{string.Join(", ", shape)}]) needs {expected} bytes but data_offsets span {offsets[1] - offsets[0]}.");
        return new Entry(prop.Name, dtype, shape, offsets[0], offsets[1]);
    }

    /// Reads one tensor into CPU memory with its stored dtype.
    public Tensor Read(string name)
    {
        if (!Entries.TryGetValue(name, out var e))
            throw new KeyNotFoundException($"{Path}: no tensor named '{name}'.");
        var type = SafetensorsDType.ToScalarType(e.DType, Path, name);
        var t = empty(e.Shape, type);
        if (e.End > e.Begin)
            lock (_stream)
            {
                // Straight into the tensor's own memory (Tensor.bytes is a span over it): no managed copy, so loading
                // a 2 GB checkpoint does not leave 2 GB of garbage on the GC heap.
                _stream.Position = _dataStart + e.Begin;
                _stream.ReadExactly(t.bytes);
            }
        return t;
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>
    /// Writes tensors as one .safetensors file that the Python safetensors library reads: header padded with spaces
    /// to a multiple of 8 bytes, offsets contiguous in name order, metadata {"format": "pt"}.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var items = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var header = new Dictionary<string, object>
        {
            ["__metadata__"] = metadata ?? new Dictionary<string, string> { ["format"] = "pt" },
        };
        long offset = 0;
        foreach (var (name, t) in items)
        {
            long bytes = t.NumberOfElements * t.ElementSize;
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = SafetensorsDType.FromScalarType(t.dtype),
                ["shape"] = t.shape,
                ["data_offsets"] = new[] { offset, offset + bytes },
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padded = (json.Length + 7) / 8 * 8;
        var headerBytes = new byte[padded];
        Array.Fill(headerBytes, (byte)' ');
        json.CopyTo(headerBytes, 0);

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        file.Write(BitConverter.GetBytes((ulong)padded));
        file.Write(headerBytes);
        foreach (var (_, t) in items)
        {
            using var cpu = t.detach().cpu().contiguous();
            file.Write(cpu.bytes);
        }
        file.Flush(flushToDisk: true);
    }
}
