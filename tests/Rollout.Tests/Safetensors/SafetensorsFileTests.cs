using System.Text;
using System.Text.Json;
using RlTrainer.Rollout.Safetensors;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Safetensors;

public class SafetensorsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("st-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Write_LayoutFollowsTheFormat()
    {
        var path = Path.Combine(_dir, "a.safetensors");
        using var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);
        using var b = tensor(new short[] { -1, 7 });
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["b"] = b, ["a"] = a });

        var bytes = File.ReadAllBytes(path);
        ulong n = BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0UL, n % 8);                                    // header padded to 8 bytes
        var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n).TrimEnd(' ')).RootElement;
        Assert.Equal("pt", header.GetProperty("__metadata__").GetProperty("format").GetString());
        Assert.Equal("F32", header.GetProperty("a").GetProperty("dtype").GetString());
        Assert.Equal(new[] { 2L, 3 }, header.GetProperty("a").GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(new[] { 0L, 24 }, header.GetProperty("a").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(new[] { 24L, 28 }, header.GetProperty("b").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(8 + (int)n + 28, bytes.Length);
        // little-endian float 2.0 = 0x40000000 at buffer offset 4
        Assert.Equal(new byte[] { 0, 0, 0, 0x40 }, bytes.Skip(8 + (int)n + 4).Take(4));
        // int16 −1 = 0xFFFF at buffer offset 24
        Assert.Equal(new byte[] { 0xFF, 0xFF }, bytes.Skip(8 + (int)n + 24).Take(2));
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Int64)]
    public void WriteThenRead_GivesTheSameTensor(ScalarType type)
    {
        var path = Path.Combine(_dir, "r.safetensors");
        using var t = arange(0, 24, ScalarType.Float32).reshape(2, 3, 4).sub(7.5).to(type);
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["x.weight"] = t });
        using var f = SafetensorsFile.Open(path);
        using var back = f.Read("x.weight");
        Assert.Equal(type, back.dtype);
        Assert.Equal(t.shape, back.shape);
        Assert.True(back.eq(t).all().item<bool>());
    }

    [Fact]
    public void Open_TruncatedFile_NamesTheFile()
    {
        var path = Path.Combine(_dir, "t.safetensors");
        using var t = ones(100);
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["w"] = t });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.Take(bytes.Length - 10).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void Open_GarbageHeader_IsAClearError()
    {
        var path = Path.Combine(_dir, "g.safetensors");
        File.WriteAllBytes(path, BitConverter.GetBytes(4UL).Concat(Encoding.ASCII.GetBytes("{{{{")).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains("not valid JSON", e.Message);
    }
}
